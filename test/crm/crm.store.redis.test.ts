import { Redis } from 'ioredis';
import { describe, expect, test } from 'vitest';
import { RedisCrmStore } from '../../src/crm/index.js';
import { describeWithRedis } from '../helpers/redis.js';
import { aCrm, anInteraction, DOB, MOBILE_E164, NHS_NUMBER } from './builders.js';

/**
 * What only a real Redis can show: the key layout, that nothing personal is readable in keys or
 * values, the TTL on history, and readiness when Redis is gone.
 */

const CLEAR_VALUES = [NHS_NUMBER, '7700900123', 'Alex Smith', DOB, 'headache'];

describeWithRedis('RedisCrmStore on a real Redis', (ctx) => {
  let suites = 0;

  async function aRedisCrm(): Promise<ReturnType<typeof aCrm> & { prefix: string; id: string }> {
    const prefix = `${ctx().prefix}:svc${++suites}`;
    const crm = aCrm({ store: new RedisCrmStore(ctx().redis, { prefix }) });
    const byNhs = await crm.service.identifyByNhsNumber('9434765919', DOB);
    if (!byNhs.ok) {
      throw new Error('test setup: identify failed');
    }
    const id = byNhs.patient.id;
    await crm.service.update(id, { name: 'Alex Smith', phone: '07700900123' });
    await crm.service.identifyByPhone('07700900123');
    await crm.service.setConsent(id, true);
    await crm.service.recordInteraction(id, anInteraction());
    return { ...crm, prefix, id };
  }

  async function valueOf(redis: Redis, key: string): Promise<string> {
    const type = await redis.type(key);
    return type === 'list'
      ? (await redis.lrange(key, 0, -1)).join('\n')
      : ((await redis.get(key)) ?? '');
  }

  test('when patients are identified by NHS number and phone, then no key holds either in clear', async () => {
    const { prefix } = await aRedisCrm();

    const keys = await ctx().redis.keys(`${prefix}:*`);

    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).not.toContain('9434765919');
      expect(key).not.toContain('7700900123');
    }
  });

  test('when records are stored, then no stored value holds personal data in clear', async () => {
    const { prefix } = await aRedisCrm();

    const keys = await ctx().redis.keys(`${prefix}:*`);
    const values = await Promise.all(keys.map((key) => valueOf(ctx().redis, key)));

    for (const value of values) {
      for (const clear of CLEAR_VALUES) {
        expect(value).not.toContain(clear);
      }
    }
  });

  test('when a patient is stored, then the keys follow the layout with a hash tag per patient', async () => {
    const { prefix, id } = await aRedisCrm();

    const keys = (await ctx().redis.keys(`${prefix}:*`)).sort();

    expect(keys).toEqual(
      [
        `${prefix}:crm:{p:${id}}:interactions`,
        `${prefix}:crm:{p:${id}}:profile`,
        expect.stringMatching(new RegExp(`^${prefix}:crm:lookup:nhs:[0-9a-f]{64}$`)),
        expect.stringMatching(new RegExp(`^${prefix}:crm:lookup:phone:[0-9a-f]{64}$`)),
      ].sort(),
    );
  });

  test('when an interaction is recorded, then the list expires after retentionDays', async () => {
    const { prefix, id } = await aRedisCrm();

    const ttl = await ctx().redis.ttl(`${prefix}:crm:{p:${id}}:interactions`);

    expect(ttl).toBeGreaterThan(364 * 86_400);
    expect(ttl).toBeLessThanOrEqual(365 * 86_400);
  });

  test('when a patient is erased, then no key of theirs is left', async () => {
    const { service, prefix, id } = await aRedisCrm();

    expect(await service.erase(id)).toBe(true);

    expect(await ctx().redis.keys(`${prefix}:*`)).toEqual([]);
    expect(await service.identifyByPhone(MOBILE_E164)).toMatchObject({ created: true });
  });

  test('when a stored profile was edited by hand, then the patient is treated as absent', async () => {
    const { service, prefix, id } = await aRedisCrm();

    await ctx().redis.set(`${prefix}:crm:{p:${id}}:profile`, '{"id":"edited"}');

    expect(await service.get(id)).toBeUndefined();
    expect(await service.identifyByNhsNumber(NHS_NUMBER, DOB)).toMatchObject({ created: true });
  });
});

describe('RedisCrmStore.ping without a Redis', () => {
  test('when the server refuses connections, then ping is false', async () => {
    const redis = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      expect(await new RedisCrmStore(redis).ping()).toBe(false);
    } finally {
      redis.disconnect();
    }
  });

  test('when the client keeps waiting for a reconnect, then ping gives up after its timeout', async () => {
    const redis = new Redis('redis://127.0.0.1:1', { retryStrategy: () => 1_000 });
    redis.on('error', () => undefined);
    try {
      const started = Date.now();
      expect(await new RedisCrmStore(redis, { pingTimeoutMs: 100 }).ping()).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      redis.disconnect();
    }
  });
});
