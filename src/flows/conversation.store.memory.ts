import { systemClock, type Clock } from '../shared/index.js';
import type { Reply } from './contracts.js';
import {
  parseRecord,
  parseReplies,
  type ConversationRecord,
  type ConversationStore,
  type Loaded,
  type SaveResult,
} from './conversation.store.js';
import type { PathwayRef } from './pathway-library.js';

interface Entry {
  rev: number;
  json: string;
  expiresAt: number;
}

/**
 * The embedded default: the same port in memory, storing JSON text so that it behaves like Redis
 * (nothing shared by reference between turns).
 */
export class MemoryConversationStore implements ConversationStore {
  readonly #conversations = new Map<string, Entry>();
  readonly #remembered = new Map<string, { json: string; expiresAt: number }>();
  readonly #pathways = new Map<string, string>();
  readonly #ttlMs: number;
  readonly #clock: Clock;

  constructor(options: { ttlSeconds: number; clock?: Clock }) {
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#clock = options.clock ?? systemClock;
  }

  #now(): number {
    return this.#clock.now().getTime();
  }

  async load(id: string, idempotencyKey?: string): Promise<Loaded> {
    await Promise.resolve();
    const entry = this.#conversations.get(id);
    const live = entry && entry.expiresAt > this.#now() ? entry : undefined;
    if (entry && !live) {
      this.#conversations.delete(id);
    }
    const memo = idempotencyKey ? this.#remembered.get(`${id}:${idempotencyKey}`) : undefined;
    const remembered = memo && memo.expiresAt > this.#now() ? parseReplies(memo.json) : undefined;
    return {
      ...(live ? { conversation: { record: parseRecord(live.json), rev: live.rev } } : {}),
      ...(remembered ? { remembered } : {}),
    };
  }

  async save(
    record: ConversationRecord,
    expectedRev: number,
    remember?: { key: string; replies: Reply[] },
  ): Promise<SaveResult> {
    await Promise.resolve();
    const current = this.#conversations.get(record.id);
    const currentRev = current && current.expiresAt > this.#now() ? current.rev : 0;
    if (currentRev !== expectedRev) {
      return { ok: false, reason: 'conflict' };
    }
    const rev = currentRev + 1;
    const expiresAt = this.#now() + this.#ttlMs;
    this.#conversations.set(record.id, { rev, json: JSON.stringify(record), expiresAt });
    if (remember) {
      this.#remembered.set(`${record.id}:${remember.key}`, {
        json: JSON.stringify(remember.replies),
        expiresAt,
      });
    }
    return { ok: true, rev };
  }

  async archivePathway(ref: PathwayRef, definition: unknown): Promise<void> {
    await Promise.resolve();
    const key = `${ref.id}@${ref.version}#${ref.hash}`;
    if (!this.#pathways.has(key)) {
      this.#pathways.set(key, JSON.stringify(definition));
    }
  }

  async loadPathway(ref: PathwayRef): Promise<unknown> {
    await Promise.resolve();
    const json = this.#pathways.get(`${ref.id}@${ref.version}#${ref.hash}`);
    return json === undefined ? undefined : (JSON.parse(json) as unknown);
  }

  readonly #links = new Map<string, { conversationId: string; expiresAt: number }>();

  #linked(key: string): string | undefined {
    const link = this.#links.get(key);
    return link && link.expiresAt > this.#now() ? link.conversationId : undefined;
  }

  async findByAddress(addressKey: string): Promise<string | undefined> {
    await Promise.resolve();
    return this.#linked(`address:${addressKey}`);
  }

  async linkAddress(addressKey: string, conversationId: string): Promise<void> {
    await Promise.resolve();
    this.#links.set(`address:${addressKey}`, {
      conversationId,
      expiresAt: this.#now() + this.#ttlMs,
    });
  }

  async saveResumeCode(code: string, conversationId: string): Promise<void> {
    await Promise.resolve();
    this.#links.set(`resume:${code}`, { conversationId, expiresAt: this.#now() + this.#ttlMs });
  }

  async findByResumeCode(code: string): Promise<string | undefined> {
    await Promise.resolve();
    return this.#linked(`resume:${code}`);
  }

  async ping(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** For tests: break a stored record as a bad deploy or a manual edit might. */
  corrupt(id: string, json: string): void {
    const entry = this.#conversations.get(id);
    if (entry) {
      entry.json = json;
    }
  }
}
