import type { Redis, Result } from 'ioredis';
import type { DataCipher } from '../crm/index.js';
import type { Reply } from './contracts.js';
import {
  parseRecord,
  parseReplies,
  type ConversationRecord,
  type ConversationStore,
  type Loaded,
  type SaveResult,
} from './conversation.store.js';
import { conversationKeys } from './keys.js';
import type { PathwayRef } from './pathway-library.js';

/**
 * Conversations in Redis: a hash per conversation holding `rev` and `data`. A turn costs two
 * round trips: one pipeline to read the record and any remembered idempotent reply, and one
 * Lua script that saves only if the revision has not moved (compare-and-set) and remembers the
 * replies in the same step.
 */

const SAVE_SCRIPT = `
local rev = tonumber(redis.call('HGET', KEYS[1], 'rev') or '0')
if rev ~= tonumber(ARGV[1]) then
  return -1
end
rev = rev + 1
redis.call('HSET', KEYS[1], 'rev', rev, 'data', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[2], ARGV[4], 'EX', ARGV[3])
end
return rev
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    saveConversation(
      conversationKey: string,
      idempotencyKey: string,
      expectedRev: number,
      json: string,
      ttlSeconds: number,
      repliesJson: string,
    ): Result<number, Context>;
  }
}

export class RedisConversationStore implements ConversationStore {
  readonly #redis: Redis;
  readonly #keys: ReturnType<typeof conversationKeys>;
  readonly #ttlSeconds: number;
  readonly #cipher: DataCipher | undefined;

  /**
   * With a cipher, each record (transcript included: patients type personal details) is
   * encrypted before it leaves the process.
   */
  constructor(redis: Redis, options: { ttlSeconds: number; prefix?: string; cipher?: DataCipher }) {
    this.#redis = redis;
    this.#cipher = options.cipher;
    this.#keys = conversationKeys(options.prefix ?? '111');
    this.#ttlSeconds = options.ttlSeconds;
    // defineCommand is idempotent for the same script; ioredis caches it by SHA (EVALSHA).
    redis.defineCommand('saveConversation', { numberOfKeys: 2, lua: SAVE_SCRIPT });
  }

  async load(id: string, idempotencyKey?: string): Promise<Loaded> {
    const pipeline = this.#redis.pipeline().hmget(this.#keys.conversation(id), 'rev', 'data');
    if (idempotencyKey) {
      pipeline.get(this.#keys.idempotency(id, idempotencyKey));
    }
    const results = (await pipeline.exec()) ?? [];
    const [hashResult, memoResult] = results;
    if (hashResult?.[0]) {
      throw hashResult[0];
    }
    const [rev, data] = (hashResult?.[1] ?? [null, null]) as [string | null, string | null];
    const remembered = parseReplies((memoResult?.[1] as string | null | undefined) ?? undefined);
    return {
      ...(rev !== null
        ? { conversation: { record: parseRecord(this.#open(data)), rev: Number(rev) } }
        : {}),
      ...(remembered ? { remembered } : {}),
    };
  }

  async save(
    record: ConversationRecord,
    expectedRev: number,
    remember?: { key: string; replies: Reply[] },
  ): Promise<SaveResult> {
    const rev = await this.#redis.saveConversation(
      this.#keys.conversation(record.id),
      this.#keys.idempotency(record.id, remember?.key ?? '-'),
      expectedRev,
      this.#seal(JSON.stringify(record)),
      this.#ttlSeconds,
      remember ? JSON.stringify(remember.replies) : '',
    );
    return rev < 0 ? { ok: false, reason: 'conflict' } : { ok: true, rev };
  }

  #seal(json: string): string {
    return this.#cipher ? this.#cipher.encrypt(json) : json;
  }

  /** Undefined when the data cannot be decrypted: the engine then starts afresh, safely. */
  #open(data: string | null): string | undefined {
    if (data === null) {
      return undefined;
    }
    if (!this.#cipher) {
      return data;
    }
    try {
      return this.#cipher.decrypt(data);
    } catch {
      return undefined;
    }
  }

  async archivePathway(ref: PathwayRef, definition: unknown): Promise<void> {
    await this.#redis.set(this.#keys.pathway(ref), JSON.stringify(definition), 'NX');
  }

  async loadPathway(ref: PathwayRef): Promise<unknown> {
    const json = await this.#redis.get(this.#keys.pathway(ref));
    return json === null ? undefined : (JSON.parse(json) as unknown);
  }

  async findByAddress(addressKey: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#keys.address(addressKey))) ?? undefined;
  }

  async linkAddress(addressKey: string, conversationId: string): Promise<void> {
    await this.#redis.set(this.#keys.address(addressKey), conversationId, 'EX', this.#ttlSeconds);
  }

  async saveResumeCode(code: string, conversationId: string): Promise<void> {
    await this.#redis.set(this.#keys.resumeCode(code), conversationId, 'EX', this.#ttlSeconds);
  }

  async findByResumeCode(code: string): Promise<string | undefined> {
    return (await this.#redis.get(this.#keys.resumeCode(code))) ?? undefined;
  }

  async ping(): Promise<boolean> {
    try {
      await this.#redis.ping();
      return true;
    } catch {
      return false;
    }
  }
}
