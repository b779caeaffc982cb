/**
 * `npm run bench`: concurrent simulated conversations through the web chat API on Redis,
 * compared with a bare Express route measured in the same run on the same machine. Prints
 * turns per second, p50 and p99 turn latency, the ratio to the baseline, Redis round trips and
 * commands per turn, and memory. Targets are printed, not asserted: this is a measurement.
 *
 *   BENCH_CONCURRENCY (50)  BENCH_SECONDS (8)  REDIS_URL (else a private redis-server)
 */
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createDataCipher, RedisCrmStore } from '../src/crm/index.js';
import { RedisConversationStore } from '../src/flows/index.js';
import { createLogger } from '../src/shared/index.js';
import { dataPaths, loadBundle } from '../src/triage/index.js';
import { startPrivateRedis } from '../test/helpers/redis.js';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ANSWERS = [
  'no',
  'me',
  'I have a headache',
  'yes',
  '34',
  ...Array<string>(10).fill('no'),
  '2',
];

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(
  port: number,
  path: string,
  body: unknown,
): Promise<{ status: number; json: unknown; ms: number }> {
  const data = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(Buffer.concat(chunks).toString() || 'null') as unknown,
            ms: performance.now() - started,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function loop(until: number, work: () => Promise<number[]>): Promise<number[]> {
  const latencies: number[] = [];
  while (performance.now() < until) {
    latencies.push(...(await work()));
  }
  return latencies;
}

function summary(
  name: string,
  latencies: number[],
  seconds: number,
): { rate: number; p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const rate = latencies.length / seconds;
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log(
    `${name.padEnd(34)} ${rate.toFixed(0).padStart(7)} /s   p50 ${p50.toFixed(1).padStart(6)} ms   p99 ${p99.toFixed(1).padStart(6)} ms`,
  );
  return { rate, p50, p99 };
}

interface LoadResult {
  latencies: number[];
  turns: number;
  failures: number;
}

/** The load generator, run in a child process so it does not take the server's CPU. */
async function generateLoad(kind: 'baseline' | 'chat', port: number): Promise<LoadResult> {
  let turns = 0;
  let failures = 0;
  const until = performance.now() + SECONDS * 1000;
  if (kind === 'baseline') {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, () => post(port, '/echo', { text: 'warm' })),
    );
    const latencies = (
      await Promise.all(
        Array.from({ length: CONCURRENCY }, () =>
          loop(until, async () => [(await post(port, '/echo', { text: 'yes' })).ms]),
        ),
      )
    ).flat();
    return { latencies, turns: latencies.length, failures };
  }
  const conversation = async (): Promise<number[]> => {
    const start = await post(port, '/api/conversations', {});
    const id = (start.json as { conversationId: string }).conversationId;
    const lat: number[] = [];
    for (const text of ANSWERS) {
      const r = await post(port, `/api/conversations/${id}/messages`, { text });
      lat.push(r.ms);
      turns++;
      if (r.status !== 200) {
        failures++;
      }
    }
    return lat;
  };
  const latencies = (
    await Promise.all(Array.from({ length: CONCURRENCY }, () => loop(until, conversation)))
  ).flat();
  return { latencies, turns, failures };
}

function runLoad(kind: 'baseline' | 'chat', port: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1] ?? 'bench/web-chat.ts', ['--load', kind, String(port)], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', (m) => {
      resolve(m as LoadResult);
    });
    child.once('error', reject);
  });
}

async function main(): Promise<void> {
  const privateRedis = process.env.REDIS_URL ? undefined : await startPrivateRedis();
  const redisUrl = process.env.REDIS_URL ?? privateRedis?.url ?? '';
  const key = 'c'.repeat(64);
  const prefix = `bench-${Date.now()}`;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    REDIS_URL: redisUrl,
    DATA_ENCRYPTION_KEY: key,
    REDIS_KEY_PREFIX: prefix,
  });
  const { bundle } = loadBundle(dataPaths());
  if (!config.ok || !bundle) {
    throw new Error('config or pathways do not load');
  }

  // One client for the stores, with its socket writes counted: each write is a round trip
  // (a pipeline is written once).
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await redis.ping();
  let writes = 0;
  const stream = (redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
  const write = stream.write.bind(stream);
  stream.write = (...a: unknown[]) => {
    writes++;
    return write(...a);
  };
  const cipher = createDataCipher(Buffer.from(key, 'hex'));
  const built = buildApp({
    config: config.config,
    bundle,
    logger: createLogger('silent'),
    conversationStore: new RedisConversationStore(redis, { ttlSeconds: 3600, prefix, cipher }),
    crmStore: new RedisCrmStore(redis, { prefix }),
  });
  const chatServer = built.app.listen(0, '127.0.0.1');
  const baseline = express();
  baseline.post('/echo', express.json(), (req, res) => {
    res.json({ ok: true, got: (req.body as { text?: string }).text ?? '' });
  });
  const baseServer = baseline.listen(0, '127.0.0.1');
  await new Promise((r) => setTimeout(r, 200));
  const chatPort = (chatServer.address() as AddressInfo).port;
  const basePort = (baseServer.address() as AddressInfo).port;

  console.log(
    `bench: ${CONCURRENCY} concurrent conversations, ${SECONDS} s per phase, Node ${process.version}`,
  );

  const baseRun = await runLoad('baseline', basePort);
  const baseLat = baseRun.latencies;

  // Warm the chat server (JIT, connections) before measuring it.
  await runLoadWarm(chatPort);
  const infoBefore = await redis.info('commandstats');
  const writesBefore = writes;
  const chatRun = await runLoad('chat', chatPort);
  const chatLat = chatRun.latencies;
  const { turns, failures } = chatRun;
  const roundTrips = writes - writesBefore;
  const infoAfter = await redis.info('commandstats');

  // Every command Redis ran, including those inside the save script; less the INFO call itself.
  const calls = (info: string): number =>
    [...info.matchAll(/^cmdstat_\w+:calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  const commands = calls(infoAfter) - calls(infoBefore) - 1;

  console.log('');
  const base = summary('baseline: bare Express POST', baseLat, SECONDS);
  const chat = summary('web chat turn (Redis, encrypted)', chatLat, SECONDS);
  const ratio = chat.rate / base.rate;
  const perTurnTrips = roundTrips / Math.max(1, turns);
  console.log('');
  console.log(
    `ratio turns/s to baseline           ${ratio.toFixed(2)}   (aim >= 0.5)            ${ratio >= 0.5 ? 'met' : 'NOT MET'}`,
  );
  console.log(
    `p99 turn latency                    ${chat.p99.toFixed(1)} ms (aim < 50 ms)         ${chat.p99 < 50 ? 'met' : 'NOT MET'}`,
  );
  console.log(
    `Redis round trips per turn          ${perTurnTrips.toFixed(2)}   (aim <= 3)              ${perTurnTrips <= 3 ? 'met' : 'NOT MET'}`,
  );
  console.log(
    `Redis commands per turn             ${(commands / Math.max(1, turns)).toFixed(2)}   (incl. commands run inside the save script)`,
  );
  console.log(`turns measured                      ${turns} (${failures} not 200)`);
  console.log(
    `memory                              rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MiB`,
  );

  chatServer.close();
  baseServer.close();
  agent.destroy();
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) {
    await redis.del(...keys.slice(i, i + 500));
  }
  await redis.quit();
  await built.close();
  await privateRedis?.stop();
}

async function runLoadWarm(port: number): Promise<void> {
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      const start = await post(port, '/api/conversations', {});
      const id = (start.json as { conversationId: string }).conversationId;
      for (const text of ANSWERS) {
        await post(port, `/api/conversations/${id}/messages`, { text });
      }
    }),
  );
}

const loadIndex = process.argv.indexOf('--load');
if (loadIndex >= 0) {
  const kind = process.argv[loadIndex + 1] === 'chat' ? 'chat' : 'baseline';
  generateLoad(kind, Number(process.argv[loadIndex + 2])).then(
    (result) => {
      process.send?.(result, () => {
        agent.destroy();
        process.exit(0);
      });
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
