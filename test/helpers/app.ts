import type { Express } from 'express';
import request from 'supertest';
import { buildApp, type BuiltApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { ConversationStore, Reply } from '../../src/flows/index.js';
import { createLogger, type Clock } from '../../src/shared/index.js';
import { dataPaths, loadBundle, type TriageBundle } from '../../src/triage/index.js';

let bundle: TriageBundle | undefined;

/** The real bundled data, loaded once per test file. */
export function realBundle(): TriageBundle {
  if (!bundle) {
    const loaded = loadBundle(dataPaths());
    if (!loaded.bundle) {
      throw new Error(
        `bundled data does not load: ${loaded.errors.map((e) => e.message).join('; ')}`,
      );
    }
    bundle = loaded.bundle;
  }
  return bundle;
}

export function testConfig(env: Record<string, string> = {}): Config {
  const result = loadConfig({ LOG_LEVEL: 'silent', ...env });
  if (!result.ok) {
    throw new Error(result.problems.join('\n'));
  }
  return result.config;
}

export function buildTestApp(
  options: { env?: Record<string, string>; store?: ConversationStore; clock?: Clock } = {},
): BuiltApp {
  return buildApp({
    config: testConfig(options.env),
    bundle: realBundle(),
    logger: createLogger('silent'),
    ...(options.store ? { conversationStore: options.store } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

export interface Turn {
  replies: Reply[];
  ended: boolean;
  status: number;
}

/** Starts a conversation over the web API; returns its id and first replies. */
export async function startChat(app: Express): Promise<{ id: string; replies: Reply[] }> {
  const res = await request(app).post('/api/conversations').send({}).expect(201);
  const body = res.body as { conversationId: string; replies: Reply[] };
  return { id: body.conversationId, replies: body.replies };
}

/** Sends messages in order (a string is text; {optionId} an option) and returns the last turn. */
export async function say(
  app: Express,
  id: string,
  ...messages: (string | { optionId: string })[]
): Promise<Turn> {
  let last: Turn = { replies: [], ended: false, status: 0 };
  for (const m of messages) {
    const res = await request(app)
      .post(`/api/conversations/${id}/messages`)
      .send(typeof m === 'string' ? { text: m } : m);
    const body = res.body as { replies?: Reply[]; ended?: boolean };
    last = { replies: body.replies ?? [], ended: body.ended ?? false, status: res.status };
    if (res.status !== 200) {
      return last;
    }
  }
  return last;
}

export function texts(replies: readonly Reply[]): string {
  return replies.map((r) => r.text).join('\n');
}

/** The answers that walk the headache pathway to self-care for an adult. */
export const HEADACHE_SELF_CARE = [
  'yes',
  'me',
  'I have a headache',
  'yes',
  '34',
  ...Array<string>(10).fill('no'),
  '2',
];
