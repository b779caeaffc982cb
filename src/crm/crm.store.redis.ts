import type { Redis } from 'ioredis';
import { AppError } from '../shared/index.js';
import type { CrmStore, LookupKind } from './crm.store.js';
import { crmKeys, type CrmKeys } from './keys.js';

// Compare-and-set and compare-and-delete must be atomic; each script touches one key, so they
// run unchanged on a Redis Cluster.
const SET_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0`;

const DELETE_IF_EQUAL = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const DEFAULT_PING_TIMEOUT_MS = 1000;

type ExecResult = [error: Error | null, result: unknown][] | null;

/** A MULTI either ran every command or is an error; never half-reported. */
function checkExec(result: ExecResult): void {
  if (result === null) {
    throw new AppError('internal', 'Redis transaction was aborted');
  }
  const failed = result.find(([error]) => error !== null);
  if (failed?.[0]) {
    throw new AppError('internal', 'Redis transaction failed', { cause: failed[0] });
  }
}

/**
 * The CRM store on Redis (ioredis). It holds sealed profiles (strings), interaction lists of
 * sealed entries and lookup keys named by keyed hashes; key names come from keys.ts only.
 */
export class RedisCrmStore implements CrmStore {
  private readonly redis: Redis;
  private readonly keys: CrmKeys;
  private readonly pingTimeoutMs: number;

  constructor(redis: Redis, options: { prefix?: string; pingTimeoutMs?: number } = {}) {
    this.redis = redis;
    this.keys = crmKeys(options.prefix ?? '111');
    this.pingTimeoutMs = options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS;
  }

  async getProfile(patientId: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.profile(patientId))) ?? undefined;
  }

  putProfile(patientId: string, sealed: string, expected: string | undefined): Promise<boolean> {
    return this.compareAndSet(this.keys.profile(patientId), expected, sealed);
  }

  async findLookup(kind: LookupKind, hash: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.lookup(kind, hash))) ?? undefined;
  }

  swapLookup(
    kind: LookupKind,
    hash: string,
    expected: string | undefined,
    patientId: string,
  ): Promise<boolean> {
    return this.compareAndSet(this.keys.lookup(kind, hash), expected, patientId);
  }

  async releaseLookup(kind: LookupKind, hash: string, patientId: string): Promise<boolean> {
    const removed = await this.redis.eval(
      DELETE_IF_EQUAL,
      1,
      this.keys.lookup(kind, hash),
      patientId,
    );
    return removed === 1;
  }

  async pushInteraction(
    patientId: string,
    sealed: string,
    limits: { maxLength: number; ttlSeconds: number },
  ): Promise<void> {
    const key = this.keys.interactions(patientId);
    const result = await this.redis
      .multi()
      .lpush(key, sealed)
      .ltrim(key, 0, limits.maxLength - 1)
      .expire(key, limits.ttlSeconds)
      .exec();
    checkExec(result);
  }

  listInteractions(patientId: string): Promise<string[]> {
    return this.redis.lrange(this.keys.interactions(patientId), 0, -1);
  }

  async removeInteractions(patientId: string, sealed: readonly string[]): Promise<void> {
    if (sealed.length === 0) {
      return;
    }
    const key = this.keys.interactions(patientId);
    const multi = this.redis.multi();
    for (const entry of sealed) {
      // By value, not by position: safe while another writer pushes at the head.
      multi.lrem(key, 0, entry);
    }
    checkExec(await multi.exec());
  }

  async clearInteractions(patientId: string): Promise<void> {
    await this.redis.del(this.keys.interactions(patientId));
  }

  async deletePatient(patientId: string): Promise<boolean> {
    // Both keys carry the patient's hash tag, so this multi-key DEL is valid on a cluster too.
    const removed = await this.redis.del(
      this.keys.profile(patientId),
      this.keys.interactions(patientId),
    );
    return removed > 0;
  }

  async ping(): Promise<boolean> {
    // With the offline queue a PING to a dead server waits for a reconnect; /readyz must not.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, this.pingTimeoutMs);
      timer.unref();
    });
    try {
      const answer = this.redis.ping().then(
        () => true,
        () => false,
      );
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async compareAndSet(
    key: string,
    expected: string | undefined,
    value: string,
  ): Promise<boolean> {
    if (expected === undefined) {
      return (await this.redis.set(key, value, 'NX')) === 'OK';
    }
    return (await this.redis.eval(SET_IF_EQUAL, 1, key, expected, value)) === 1;
  }
}
