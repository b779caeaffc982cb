import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { CrmStore } from '../../src/crm/index.js';

/**
 * What every CrmStore adapter must do, run against each of them (memory always, Redis when
 * REDIS_URL is set). `makeStore` must give a store that shares no data with earlier ones.
 */

const aPatientId = (): string => randomUUID();
const aHash = (seed: string = randomUUID()): string =>
  createHash('sha256').update(seed).digest('hex');
const limits = { maxLength: 10, ttlSeconds: 3600 };

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

export function describeCrmStoreContract(
  name: string,
  makeStore: () => CrmStore | Promise<CrmStore>,
): void {
  describe(`CrmStore contract: ${name}`, () => {
    describe('profiles', () => {
      test('when no profile was written, then reading it gives undefined', async () => {
        const store = await makeStore();
        expect(await store.getProfile(aPatientId())).toBeUndefined();
      });

      test('when a profile is created (expected undefined), then it reads back', async () => {
        const store = await makeStore();
        const id = aPatientId();

        expect(await store.putProfile(id, 'sealed-1', undefined)).toBe(true);

        expect(await store.getProfile(id)).toBe('sealed-1');
      });

      test('when a profile exists, then creating it again is refused and keeps the first', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.putProfile(id, 'first', undefined);

        expect(await store.putProfile(id, 'second', undefined)).toBe(false);

        expect(await store.getProfile(id)).toBe('first');
      });

      test('when updated with the value last read, then the write succeeds', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.putProfile(id, 'v1', undefined);

        expect(await store.putProfile(id, 'v2', 'v1')).toBe(true);

        expect(await store.getProfile(id)).toBe('v2');
      });

      test('when updated with a stale value, then the write is refused (no lost update)', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.putProfile(id, 'v1', undefined);
        await store.putProfile(id, 'v2', 'v1');

        expect(await store.putProfile(id, 'v3', 'v1')).toBe(false);

        expect(await store.getProfile(id)).toBe('v2');
      });

      test('when updating a profile that does not exist, then the write is refused', async () => {
        const store = await makeStore();
        const id = aPatientId();

        expect(await store.putProfile(id, 'v2', 'v1')).toBe(false);
        expect(await store.getProfile(id)).toBeUndefined();
      });
    });

    describe('lookups', () => {
      test('when no lookup was written, then finding it gives undefined', async () => {
        const store = await makeStore();
        expect(await store.findLookup('nhs', aHash())).toBeUndefined();
      });

      test('when a free lookup is claimed, then it points at the patient', async () => {
        const store = await makeStore();
        const [hash, id] = [aHash(), aPatientId()];

        expect(await store.swapLookup('nhs', hash, undefined, id)).toBe(true);

        expect(await store.findLookup('nhs', hash)).toBe(id);
      });

      test('when a held lookup is claimed by another, then it is refused and unchanged', async () => {
        const store = await makeStore();
        const [hash, first, second] = [aHash(), aPatientId(), aPatientId()];
        await store.swapLookup('phone', hash, undefined, first);

        expect(await store.swapLookup('phone', hash, undefined, second)).toBe(false);

        expect(await store.findLookup('phone', hash)).toBe(first);
      });

      test('when a lookup is swapped from its current owner, then it moves', async () => {
        const store = await makeStore();
        const [hash, first, second] = [aHash(), aPatientId(), aPatientId()];
        await store.swapLookup('nhs', hash, undefined, first);

        expect(await store.swapLookup('nhs', hash, first, second)).toBe(true);

        expect(await store.findLookup('nhs', hash)).toBe(second);
      });

      test('when a lookup is swapped from a stale owner, then it is refused', async () => {
        const store = await makeStore();
        const [hash, first, second] = [aHash(), aPatientId(), aPatientId()];
        await store.swapLookup('nhs', hash, undefined, first);

        expect(await store.swapLookup('nhs', hash, second, second)).toBe(false);

        expect(await store.findLookup('nhs', hash)).toBe(first);
      });

      test('when the same hash is used for two kinds, then they are separate lookups', async () => {
        const store = await makeStore();
        const [hash, a, b] = [aHash(), aPatientId(), aPatientId()];

        await store.swapLookup('nhs', hash, undefined, a);
        await store.swapLookup('phone', hash, undefined, b);

        expect(await store.findLookup('nhs', hash)).toBe(a);
        expect(await store.findLookup('phone', hash)).toBe(b);
      });

      test('when the owner releases a lookup, then it is gone', async () => {
        const store = await makeStore();
        const [hash, id] = [aHash(), aPatientId()];
        await store.swapLookup('nhs', hash, undefined, id);

        expect(await store.releaseLookup('nhs', hash, id)).toBe(true);

        expect(await store.findLookup('nhs', hash)).toBeUndefined();
      });

      test('when another patient releases a lookup, then it stays with its owner', async () => {
        const store = await makeStore();
        const [hash, owner, other] = [aHash(), aPatientId(), aPatientId()];
        await store.swapLookup('phone', hash, undefined, owner);

        expect(await store.releaseLookup('phone', hash, other)).toBe(false);

        expect(await store.findLookup('phone', hash)).toBe(owner);
      });

      test('when a lookup key is given a raw value instead of a hash, then the store refuses it', async () => {
        const store = await makeStore();
        await expect(store.findLookup('nhs', '9434765919')).rejects.toThrow(/hex digest/);
      });
    });

    describe('interactions', () => {
      test('when nothing was recorded, then the list is empty', async () => {
        const store = await makeStore();
        expect(await store.listInteractions(aPatientId())).toEqual([]);
      });

      test('when entries are pushed, then they list newest first', async () => {
        const store = await makeStore();
        const id = aPatientId();

        for (const entry of ['a', 'b', 'c']) {
          await store.pushInteraction(id, entry, limits);
        }

        expect(await store.listInteractions(id)).toEqual(['c', 'b', 'a']);
      });

      test('when more than maxLength entries are pushed, then the oldest are trimmed', async () => {
        const store = await makeStore();
        const id = aPatientId();

        for (const entry of ['1', '2', '3', '4', '5']) {
          await store.pushInteraction(id, entry, { maxLength: 3, ttlSeconds: 3600 });
        }

        expect(await store.listInteractions(id)).toEqual(['5', '4', '3']);
      });

      test('when entries are removed by value, then only those go', async () => {
        const store = await makeStore();
        const id = aPatientId();
        for (const entry of ['a', 'b', 'c', 'd']) {
          await store.pushInteraction(id, entry, limits);
        }

        await store.removeInteractions(id, ['a', 'c', 'not-there']);

        expect(await store.listInteractions(id)).toEqual(['d', 'b']);
      });

      test('when nothing is removed, then the list is unchanged', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.pushInteraction(id, 'a', limits);

        await store.removeInteractions(id, []);

        expect(await store.listInteractions(id)).toEqual(['a']);
      });

      test('when the interactions are cleared, then the list is empty', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.pushInteraction(id, 'a', limits);

        await store.clearInteractions(id);

        expect(await store.listInteractions(id)).toEqual([]);
      });

      test('when two patients have interactions, then each sees only their own', async () => {
        const store = await makeStore();
        const [a, b] = [aPatientId(), aPatientId()];

        await store.pushInteraction(a, 'for-a', limits);
        await store.pushInteraction(b, 'for-b', limits);

        expect(await store.listInteractions(a)).toEqual(['for-a']);
        expect(await store.listInteractions(b)).toEqual(['for-b']);
      });

      test('when the list TTL passes without a write, then the list is gone', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.pushInteraction(id, 'a', { maxLength: 10, ttlSeconds: 1 });

        await sleep(1_100);

        expect(await store.listInteractions(id)).toEqual([]);
      });
    });

    describe('deleting a patient', () => {
      test('when a patient with a profile and interactions is deleted, then both are gone', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.putProfile(id, 'sealed', undefined);
        await store.pushInteraction(id, 'entry', limits);

        expect(await store.deletePatient(id)).toBe(true);

        expect(await store.getProfile(id)).toBeUndefined();
        expect(await store.listInteractions(id)).toEqual([]);
      });

      test('when only interactions exist, then deleting reports that something was removed', async () => {
        const store = await makeStore();
        const id = aPatientId();
        await store.pushInteraction(id, 'entry', limits);

        expect(await store.deletePatient(id)).toBe(true);
      });

      test('when nothing exists, then deleting reports false', async () => {
        const store = await makeStore();
        expect(await store.deletePatient(aPatientId())).toBe(false);
      });

      test('when a patient is deleted, then lookups and other patients are untouched', async () => {
        const store = await makeStore();
        const [gone, kept, hash] = [aPatientId(), aPatientId(), aHash()];
        await store.putProfile(gone, 'gone', undefined);
        await store.putProfile(kept, 'kept', undefined);
        await store.swapLookup('nhs', hash, undefined, gone);

        await store.deletePatient(gone);

        expect(await store.getProfile(kept)).toBe('kept');
        expect(await store.findLookup('nhs', hash)).toBe(gone);
      });

      test('when a patient id would break the key layout, then the store refuses it', async () => {
        const store = await makeStore();
        await expect(store.getProfile('a}:b')).rejects.toThrow(/patient id/);
      });
    });

    test('when pinged, then the store answers', async () => {
      const store = await makeStore();
      expect(await store.ping()).toBe(true);
    });
  });
}
