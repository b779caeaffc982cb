import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, test } from 'vitest';

/**
 * Tests of Redis-backed code run against a real Redis at REDIS_URL (CI starts a private one).
 * Without REDIS_URL they fail loudly under CI=true, and are skipped with a clear message
 * elsewhere. Each suite uses its own key prefix and deletes its keys afterwards.
 */

const url = process.env.REDIS_URL;
const inCi = process.env.CI === 'true';

export interface RedisContext {
  redis: Redis;
  /** A key prefix unique to this suite. */
  prefix: string;
}

export function describeWithRedis(name: string, body: (ctx: () => RedisContext) => void): void {
  if (!url) {
    if (inCi) {
      describe(name, () => {
        test('needs Redis', () => {
          throw new Error(
            'REDIS_URL is not set, but CI must run the Redis tests against a real Redis',
          );
        });
      });
    } else {
      describe.skip(`${name} (skipped: set REDIS_URL=redis://127.0.0.1:6379 to run against a real Redis)`, () => {
        body(() => {
          throw new Error('skipped');
        });
      });
    }
    return;
  }
  describe(name, () => {
    let ctx: RedisContext | undefined;
    beforeAll(async () => {
      const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      ctx = { redis, prefix: `test:${randomUUID().slice(0, 8)}` };
    });
    afterAll(async () => {
      if (!ctx) {
        return;
      }
      const keys = await ctx.redis.keys(`${ctx.prefix}:*`);
      if (keys.length > 0) {
        await ctx.redis.del(...keys);
      }
      await ctx.redis.quit();
    });
    body(() => {
      if (!ctx) {
        throw new Error('Redis is not connected');
      }
      return ctx;
    });
  });
}
