import { describe, expect, test } from 'vitest';
import { MemoryConversationStore, RedisConversationStore } from '../../src/flows/index.js';
import { fixedClock } from '../../src/shared/index.js';
import { describeWithRedis } from '../helpers/redis.js';
import { aRecord, describeConversationStoreContract } from './conversation.store.contract.js';

describeConversationStoreContract(
  'MemoryConversationStore',
  () => new MemoryConversationStore({ ttlSeconds: 3600 }),
);

describeWithRedis('RedisConversationStore', (ctx) => {
  describeConversationStoreContract(
    'RedisConversationStore',
    () => new RedisConversationStore(ctx().redis, { ttlSeconds: 3600, prefix: ctx().prefix }),
  );

  test('when a conversation is saved, then its keys carry the {c:<id>} hash tag and expire', async () => {
    const { redis, prefix } = ctx();
    const store = new RedisConversationStore(redis, { ttlSeconds: 120, prefix });
    const record = aRecord();
    await store.save(record, 0, { key: 'SMabc', replies: [] });
    const keys = await redis.keys(`${prefix}:conv:{c:${record.id}}*`);
    expect(keys.sort()).toEqual([
      `${prefix}:conv:{c:${record.id}}`,
      `${prefix}:conv:{c:${record.id}}:idem:SMabc`,
    ]);
    for (const key of keys) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    }
  });

  test('when the stored data is corrupt, then loading says unreadable instead of throwing', async () => {
    const { redis, prefix } = ctx();
    const store = new RedisConversationStore(redis, { ttlSeconds: 120, prefix });
    const record = aRecord();
    await store.save(record, 0);
    await redis.hset(`${prefix}:conv:{c:${record.id}}`, 'data', '{not json');
    expect(await store.load(record.id)).toEqual({ conversation: { record: undefined, rev: 1 } });
  });
});

describe('MemoryConversationStore', () => {
  test('when a conversation is older than its time to live, then it is gone', async () => {
    const clock = fixedClock('2026-11-21T10:00:00Z');
    const store = new MemoryConversationStore({ ttlSeconds: 60, clock });
    const record = aRecord();
    await store.save(record, 0);
    clock.advance(61_000);
    expect(await store.load(record.id)).toEqual({});
  });
});
