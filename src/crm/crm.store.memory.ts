import { systemClock, type Clock } from '../shared/index.js';
import type { CrmStore, LookupKind } from './crm.store.js';
import { crmKeys } from './keys.js';

interface ExpiringList {
  entries: string[];
  expiresAt: number;
}

/** Runs synchronous work as a promise, so a throw becomes a rejection as it would in Redis. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

/**
 * The embedded default and the test double: the same behaviour as the Redis adapter (the store
 * contract suite runs against both), kept in process memory. It uses the Redis key layout as map
 * keys, so a malformed id or a raw value in place of a hash fails here exactly as in Redis.
 */
export class MemoryCrmStore implements CrmStore {
  private readonly keys = crmKeys('memory');
  private readonly values = new Map<string, string>();
  private readonly lists = new Map<string, ExpiringList>();
  private readonly clock: Clock;

  /** `clock` drives list expiry (the TTL Redis would apply). */
  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? systemClock;
  }

  getProfile(patientId: string): Promise<string | undefined> {
    return settle(() => this.values.get(this.keys.profile(patientId)));
  }

  putProfile(patientId: string, sealed: string, expected: string | undefined): Promise<boolean> {
    return settle(() => this.compareAndSet(this.keys.profile(patientId), expected, sealed));
  }

  findLookup(kind: LookupKind, hash: string): Promise<string | undefined> {
    return settle(() => this.values.get(this.keys.lookup(kind, hash)));
  }

  swapLookup(
    kind: LookupKind,
    hash: string,
    expected: string | undefined,
    patientId: string,
  ): Promise<boolean> {
    return settle(() => this.compareAndSet(this.keys.lookup(kind, hash), expected, patientId));
  }

  releaseLookup(kind: LookupKind, hash: string, patientId: string): Promise<boolean> {
    return settle(() => {
      const key = this.keys.lookup(kind, hash);
      if (this.values.get(key) !== patientId) {
        return false;
      }
      this.values.delete(key);
      return true;
    });
  }

  pushInteraction(
    patientId: string,
    sealed: string,
    limits: { maxLength: number; ttlSeconds: number },
  ): Promise<void> {
    return settle(() => {
      const key = this.keys.interactions(patientId);
      const entries = [sealed, ...(this.liveList(key)?.entries ?? [])].slice(0, limits.maxLength);
      this.lists.set(key, { entries, expiresAt: this.now() + limits.ttlSeconds * 1000 });
    });
  }

  listInteractions(patientId: string): Promise<string[]> {
    return settle(() => [...(this.liveList(this.keys.interactions(patientId))?.entries ?? [])]);
  }

  removeInteractions(patientId: string, sealed: readonly string[]): Promise<void> {
    return settle(() => {
      const key = this.keys.interactions(patientId);
      const list = this.liveList(key);
      if (!list) {
        return;
      }
      const drop = new Set(sealed);
      list.entries = list.entries.filter((entry) => !drop.has(entry));
      // Redis deletes a list when its last element goes; so does this store.
      if (list.entries.length === 0) {
        this.lists.delete(key);
      }
    });
  }

  clearInteractions(patientId: string): Promise<void> {
    return settle(() => {
      this.lists.delete(this.keys.interactions(patientId));
    });
  }

  deletePatient(patientId: string): Promise<boolean> {
    return settle(() => {
      const hadProfile = this.values.delete(this.keys.profile(patientId));
      const interactions = this.keys.interactions(patientId);
      const hadInteractions = this.liveList(interactions) !== undefined;
      this.lists.delete(interactions);
      return hadProfile || hadInteractions;
    });
  }

  ping(): Promise<boolean> {
    return Promise.resolve(true);
  }

  private compareAndSet(key: string, expected: string | undefined, value: string): boolean {
    if (this.values.get(key) !== expected) {
      return false;
    }
    this.values.set(key, value);
    return true;
  }

  /** The list, unless its TTL has passed: then it is gone, as in Redis. */
  private liveList(key: string): ExpiringList | undefined {
    const list = this.lists.get(key);
    if (list && list.expiresAt <= this.now()) {
      this.lists.delete(key);
      return undefined;
    }
    return list;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
