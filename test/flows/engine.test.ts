import { describe, expect, test } from 'vitest';
import {
  ConversationEngine,
  createConversationMachine,
  FALLBACK_TEXT,
  MemoryConversationStore,
  PathwayLibrary,
  type ConversationStore,
  type TurnResult,
} from '../../src/flows/index.js';
import { createLogger } from '../../src/shared/index.js';
import type { CheckedPathway } from '../../src/triage/index.js';
import { realBundle } from '../helpers/app.js';

function engineWith(
  store: ConversationStore,
  pathways: CheckedPathway[] = realBundle().pathways,
  logger = createLogger('silent'),
): ConversationEngine {
  const bundle = realBundle();
  const library = new PathwayLibrary(pathways, bundle.scale);
  const machine = createConversationMachine({
    scale: bundle.scale,
    complaints: bundle.complaints,
    pathways: library,
    generalPathwayId: 'general',
  });
  return new ConversationEngine({
    store,
    machine,
    library,
    redFlags: bundle.redFlags,
    logger,
  });
}

async function send(
  engine: ConversationEngine,
  id: string,
  ...texts: string[]
): Promise<TurnResult> {
  let last: TurnResult | undefined;
  for (const text of texts) {
    const r = await engine.handle({ channel: 'web', conversationId: id, text });
    if ('notFound' in r) {
      throw new Error('not found');
    }
    last = r;
  }
  if (!last) {
    throw new Error('nothing sent');
  }
  return last;
}

/** A store that fails on demand, to prove a failed turn saves nothing and still answers. */
class FlakyStore extends MemoryConversationStore {
  failSaves = false;
  override async save(...args: Parameters<MemoryConversationStore['save']>) {
    if (this.failSaves) {
      throw new Error('disk on fire');
    }
    return super.save(...args);
  }
}

describe('ConversationEngine', () => {
  test('when two messages of one conversation arrive together, then both are applied and neither is lost', async () => {
    const store = new MemoryConversationStore({ ttlSeconds: 3600 });
    const engine = engineWith(store);
    const { conversationId: id } = await engine.start({ channel: 'web' });
    await send(engine, id, 'yes', 'me');
    await Promise.all([send(engine, id, 'headache'), send(engine, id, 'yes')]);
    const view = await engine.view(id);
    expect(
      view?.transcript
        .filter((t) => t.from === 'patient')
        .map((t) => t.text)
        .sort(),
    ).toEqual(['headache', 'me', 'yes', 'yes']);
    const { conversation } = await store.load(id);
    expect(conversation?.rev).toBe(5);
  });

  test('when a turn fails inside, then the patient gets the safe fallback and nothing half-done is saved', async () => {
    const store = new FlakyStore({ ttlSeconds: 3600 });
    const engine = engineWith(store);
    const { conversationId: id } = await engine.start({ channel: 'web' });
    const before = await store.load(id);
    store.failSaves = true;
    const turn = await send(engine, id, 'yes');
    expect(turn.replies).toEqual([{ kind: 'error', text: FALLBACK_TEXT, expects: 'none' }]);
    expect(FALLBACK_TEXT).toMatch(/call 111.*999/);
    store.failSaves = false;
    expect(await store.load(id)).toEqual(before);
    const next = await send(engine, id, 'yes');
    expect(next.replies[0]?.text).toContain('about you, or about someone else');
  });

  test('when the stored snapshot is corrupt, then the patient is told and starts afresh, and the process carries on', async () => {
    const store = new MemoryConversationStore({ ttlSeconds: 3600 });
    const engine = engineWith(store);
    const { conversationId: id } = await engine.start({ channel: 'web' });
    store.corrupt(id, '{"schema":1,"garbage":');
    const turn = await send(engine, id, 'yes');
    expect(turn.replies[0]).toMatchObject({
      kind: 'error',
      text: expect.stringContaining("couldn't continue your earlier conversation") as unknown,
    });
    expect(turn.replies.some((r) => r.text.includes('Can we keep a record'))).toBe(true);
    const next = await send(engine, id, 'yes');
    expect(next.replies[0]?.text).toContain('about you, or about someone else');
  });

  test('when the snapshot names a state that no longer exists, then it is restarted safely, not crashed', async () => {
    const store = new MemoryConversationStore({ ttlSeconds: 3600 });
    const engine = engineWith(store);
    const { conversationId: id } = await engine.start({ channel: 'web' });
    const { conversation } = await store.load(id);
    const record = conversation!.record!;
    const broken = {
      ...record,
      snapshot: { ...(record.snapshot as object), value: { triage: 'aStateThatWasRemoved' } },
    };
    store.corrupt(id, JSON.stringify(broken));
    const turn = await send(engine, id, 'yes');
    expect(turn.replies[0]?.kind).toBe('error');
    expect(turn.status).toBe('active');
  });

  test('when the pathway file changes mid-conversation, then the conversation finishes on the version it started with', async () => {
    const store = new MemoryConversationStore({ ttlSeconds: 3600 });
    const original = realBundle().pathways;
    const first = engineWith(store, original);
    const { conversationId: id } = await first.start({ channel: 'web' });
    await send(first, id, 'yes', 'me', 'headache', 'yes', '34');

    // Another process, started after an author edited headache (new wording, version 2).
    const edited = original.map((p) =>
      p.pathway.id === 'headache'
        ? {
            ...p,
            pathway: {
              ...p.pathway,
              version: 2,
              nodes: {
                ...p.pathway.nodes,
                'stroke-signs': { ...p.pathway.nodes['stroke-signs']!, ask: 'EDITED QUESTION' },
              },
            },
          }
        : p,
    ) as CheckedPathway[];
    const second = engineWith(store, edited);
    const turn = await send(second, id, 'no');
    expect(turn.replies[0]?.text).toContain('Did the headache come on suddenly');
    const view = await second.view(id);
    expect(view?.pathway).toEqual({ id: 'headache', version: 1 });
  });

  test('when a message has no conversation, then the engine says not found', async () => {
    const engine = engineWith(new MemoryConversationStore({ ttlSeconds: 3600 }));
    expect(await engine.handle({ channel: 'web', conversationId: 'missing', text: 'hi' })).toEqual({
      notFound: true,
    });
  });

  test('when a message is malformed, then it is refused as invalid input', async () => {
    const engine = engineWith(new MemoryConversationStore({ ttlSeconds: 3600 }));
    await expect(
      engine.handle({ channel: 'web', conversationId: '', text: 'hi' }),
    ).rejects.toMatchObject({ code: 'invalid-input' });
  });

  test('when a past event is mentioned, then the patient is asked whether it is happening now before any interrupt', async () => {
    const engine = engineWith(new MemoryConversationStore({ ttlSeconds: 3600 }));
    const { conversationId: id } = await engine.start({ channel: 'web' });
    const asked = await send(
      engine,
      id,
      'no',
      'me',
      'I had a stroke in 2019 and now I have a headache',
    );
    expect(asked.replies[0]?.text).toContain('Is this happening now');
    const resumed = await send(engine, id, 'no');
    expect(resumed.status).toBe('active');
    expect(resumed.replies.at(-1)?.text).toBe('In a few words, what is the main problem today?');
  });

  test('when a turn is logged, then the line has timings and ids but never what the patient wrote', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    const engine = engineWith(
      new MemoryConversationStore({ ttlSeconds: 3600 }),
      realBundle().pathways,
      logger,
    );
    const { conversationId: id } = await engine.start({ channel: 'web' });
    await send(engine, id, 'no', 'me', 'my secret headache 943 476 5919');
    const turns = lines.map(
      (l) => JSON.parse(l) as { msg: string; durationMs?: number; conversationId?: string },
    );
    expect(turns.filter((t) => t.msg === 'turn')).toHaveLength(3);
    expect(turns[0]).toMatchObject({
      conversationId: id,
      durationMs: expect.any(Number) as unknown,
    });
    expect(lines.join('\n')).not.toMatch(/secret|943 476 5919/);
  });
});
