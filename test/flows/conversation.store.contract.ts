import { describe, expect, test } from 'vitest';
import type { ConversationRecord, ConversationStore, Reply } from '../../src/flows/index.js';

/** The behaviour every ConversationStore adapter must share; run against memory and Redis. */

let counter = 0;
export function aRecord(overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  counter++;
  return {
    schema: 1,
    machineVersion: 1,
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    channel: 'web',
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
    status: 'active',
    snapshot: { value: 'x', context: { n: counter } },
    transcript: [{ from: 'service', text: 'hello', at: '2026-11-21T10:00:00.000Z' }],
    ...overrides,
  };
}

const replies: Reply[] = [{ kind: 'statement', text: 'remembered', expects: 'none' }];

export function describeConversationStoreContract(
  name: string,
  makeStore: () => ConversationStore,
): void {
  describe(`${name} (conversation store contract)`, () => {
    test('when a conversation was never saved, then loading finds nothing', async () => {
      expect(await makeStore().load(aRecord().id)).toEqual({});
    });

    test('when a new conversation is saved at revision 0, then it loads back equal at revision 1', async () => {
      const store = makeStore();
      const record = aRecord();
      expect(await store.save(record, 0)).toEqual({ ok: true, rev: 1 });
      expect(await store.load(record.id)).toEqual({ conversation: { record, rev: 1 } });
    });

    test('when two saves race from the same revision, then exactly one wins and the other is told conflict', async () => {
      const store = makeStore();
      const record = aRecord();
      await store.save(record, 0);
      const results = await Promise.all([
        store.save({ ...record, status: 'ended' }, 1),
        store.save({ ...record, status: 'emergency' }, 1),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'conflict' }]);
      expect((await store.load(record.id)).conversation?.rev).toBe(2);
    });

    test('when a save names a stale revision, then it is refused and nothing changes', async () => {
      const store = makeStore();
      const record = aRecord();
      await store.save(record, 0);
      await store.save({ ...record, status: 'ended' }, 1);
      expect(await store.save({ ...record, status: 'emergency' }, 1)).toEqual({
        ok: false,
        reason: 'conflict',
      });
      expect((await store.load(record.id)).conversation?.record?.status).toBe('ended');
    });

    test('when replies are remembered under an idempotency key, then loading with that key returns them', async () => {
      const store = makeStore();
      const record = aRecord();
      await store.save(record, 0, { key: 'SM123', replies });
      expect((await store.load(record.id, 'SM123')).remembered).toEqual(replies);
      expect((await store.load(record.id, 'SM999')).remembered).toBeUndefined();
    });

    test('when a pathway definition is archived, then it can be read back, and a second archive does not overwrite it', async () => {
      const store = makeStore();
      const ref = { id: 'headache', version: 1, hash: `h${counter}` };
      await store.archivePathway(ref, { id: 'headache', first: true });
      await store.archivePathway(ref, { id: 'headache', first: false });
      expect(await store.loadPathway(ref)).toEqual({ id: 'headache', first: true });
      expect(await store.loadPathway({ ...ref, hash: 'other' })).toBeUndefined();
    });

    test('when the store is pinged, then it answers', async () => {
      expect(await makeStore().ping()).toBe(true);
    });
  });
}
