import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, test } from 'vitest';
import { buildTestApp, HEADACHE_SELF_CARE, say, startChat, texts } from '../../helpers/app.js';
import {
  describeWithRedis,
  IN_CI,
  REDIS_URL_FOR_TESTS,
  redisServerAvailable,
  startPrivateRedis,
} from '../../helpers/redis.js';

const KEY = 'b'.repeat(64);

describeWithRedis('web chat on Redis', (ctx) => {
  test('when two app instances share one Redis, then alternate turns of one conversation reach the outcome', async () => {
    const env = {
      REDIS_URL: REDIS_URL_FOR_TESTS,
      DATA_ENCRYPTION_KEY: KEY,
      REDIS_KEY_PREFIX: `${ctx().prefix}:two`,
    };
    const a = buildTestApp({ env });
    const b = buildTestApp({ env });
    try {
      const { id } = await startChat(a.app);
      let last = { replies: [], ended: false, status: 0 } as Awaited<ReturnType<typeof say>>;
      for (const [i, text] of HEADACHE_SELF_CARE.entries()) {
        last = await say(i % 2 === 0 ? b.app : a.app, id, text);
        expect(last.status).toBe(200);
      }
      expect(last.ended).toBe(true);
      expect(last.replies.find((r) => r.disposition)?.disposition?.code).toBe('SELF_CARE');
      const view = await request(a.app).get(`/api/conversations/${id}`).expect(200);
      expect((view.body as { transcript: unknown[] }).transcript.length).toBeGreaterThan(
        HEADACHE_SELF_CARE.length * 2,
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('when a transcript holds an NHS number, then Redis holds it only encrypted', async () => {
    const prefix = `${ctx().prefix}:enc`;
    const built = buildTestApp({
      env: {
        REDIS_URL: REDIS_URL_FOR_TESTS,
        DATA_ENCRYPTION_KEY: KEY,
        REDIS_KEY_PREFIX: prefix,
      },
    });
    try {
      const { id } = await startChat(built.app);
      await say(built.app, id, 'yes', 'me', '943 476 5919', '14 3 1985');
      const { redis } = ctx();
      const keys = await redis.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).not.toMatch(/9434765919|943 476 5919/);
        const type = await redis.type(key);
        const values =
          type === 'hash'
            ? Object.values(await redis.hgetall(key))
            : type === 'string'
              ? [await redis.get(key)]
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : [];
        for (const value of values) {
          expect(value ?? '').not.toMatch(/9434765919|943 476 5919|1985-03-14/);
        }
      }
    } finally {
      await built.close();
    }
  });
});

const inCi = IN_CI;
const describeRestart = redisServerAvailable() || inCi ? describe : describe.skip;

describeRestart(
  `when Redis stops and comes back during a conversation${redisServerAvailable() ? '' : ' (skipped: redis-server is not installed)'}`,
  () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const c of cleanups.reverse()) {
        await c();
      }
    });

    test('then the patient gets the safe answer, readiness says 503, and the service recovers by itself', async () => {
      const redis = await startPrivateRedis();
      cleanups.push(() => redis.stop());
      const built = buildTestApp({
        env: {
          REDIS_URL: redis.url,
          DATA_ENCRYPTION_KEY: KEY,
          REDIS_KEY_PREFIX: `restart-${randomUUID().slice(0, 6)}`,
        },
      });
      cleanups.push(() => built.close());

      const { id } = await startChat(built.app);
      await say(built.app, id, 'yes', 'me');

      await redis.stop();
      const during = await say(built.app, id, 'headache');
      expect(during.status).toBe(200);
      expect(during.replies[0]?.kind).toBe('error');
      expect(texts(during.replies)).toMatch(/call 111.*999/);
      await request(built.app).get('/readyz').expect(503);

      await redis.start();
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = (await request(built.app).get('/readyz')).status;
        if (ready !== 200) {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      expect(ready).toBe(200);
      const after = await say(built.app, id, 'headache');
      expect(texts(after.replies)).toContain('It sounds like this is about: Headache');
    }, 30_000);
  },
);
