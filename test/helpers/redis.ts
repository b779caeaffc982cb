import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, test } from 'vitest';

/**
 * Tests of Redis-backed code run against a real Redis at REDIS_URL (CI starts a private one).
 * Without REDIS_URL they fail loudly under CI=true, and are skipped with a clear message
 * elsewhere. Each suite uses its own key prefix and deletes its keys afterwards.
 */

const url = process.env.REDIS_URL;
const inCi = process.env.CI === 'true';

/** The Redis of the test run (CI starts a private one), or '' when there is none. */
export const REDIS_URL_FOR_TESTS = url ?? '';
/** Tests that need a real service fail loudly in CI and skip with a message elsewhere. */
export const IN_CI = inCi;

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

/** A redis-server of the test's own on a free port, with data on disk so a restart keeps it. */
export interface PrivateRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('no port'));
        }
      });
    });
  });
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  let child: ChildProcess | undefined;
  const ping = (): boolean =>
    spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() ===
    'PONG';
  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !ping(); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null) {
      return;
    }
    await new Promise<void>((resolve) => {
      running.once('exit', () => {
        resolve();
      });
      running.kill('SIGTERM');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}
