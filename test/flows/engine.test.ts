import { describe, expect, test } from 'vitest';
import {
  ConversationEngine,
  createConversationMachine,
  FALLBACK_TEXT,
  MemoryConversationStore,
  PathwayLibrary,
  type AddressedMessage,
  type ConversationStore,
  IDLE_RESTART_MS,
  type TurnResult,
} from '../../src/flows/index.js';
import { createLogger, fixedClock } from '../../src/shared/index.js';
import { createCrmService, createDataCipher, MemoryCrmStore } from '../../src/crm/index.js';
import type { CheckedPathway } from '../../src/triage/index.js';
import { realBundle, texts } from '../helpers/app.js';

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

describe('ConversationEngine on channels that know the sender', () => {
  const PHONE = '+447700900123';
  function addressed(clock = fixedClock('2026-11-21T10:00:00Z')) {
    const bundle = realBundle();
    const library = new PathwayLibrary(bundle.pathways, bundle.scale);
    const machine = createConversationMachine({
      scale: bundle.scale,
      complaints: bundle.complaints,
      pathways: library,
      generalPathwayId: 'general',
    });
    const store = new MemoryConversationStore({ ttlSeconds: 7 * 86400, clock });
    const crm = createCrmService({
      store: new MemoryCrmStore({ clock }),
      cipher: createDataCipher(Buffer.alloc(32, 7)),
      clock,
    });
    const engine = new ConversationEngine({
      store,
      machine,
      library,
      redFlags: bundle.redFlags,
      logger: createLogger('silent'),
      clock,
      crm,
      hashAddress: (a) => `h(${a.length})${a.slice(-3)}`,
    });
    return { engine, clock, crm };
  }
  const sms = (text: string, extra: Partial<AddressedMessage> = {}): AddressedMessage => ({
    channel: 'sms',
    address: PHONE,
    text,
    ...extra,
  });

  test('when a number writes for the first time, then a conversation starts with the welcome', async () => {
    const { engine } = addressed();
    const first = await engine.handleFrom(sms('hi'));
    expect(first.started).toBe(true);
    expect(texts(first.replies)).toContain('not for emergencies');
    const second = await engine.handleFrom(sms('yes'));
    expect(second.started).toBe(false);
    expect(second.conversationId).toBe(first.conversationId);
  });

  test('when the first message is an emergency, then it is acted on at once', async () => {
    const { engine } = addressed();
    const first = await engine.handleFrom(sms('my husband is not breathing'));
    expect(first.replies.some((r) => r.kind === 'emergency')).toBe(true);
  });

  test('when a number writes again after more than a day, then a new conversation starts with a welcome back', async () => {
    const { engine, clock } = addressed();
    const first = await engine.handleFrom(sms('hi'));
    clock.advance(IDLE_RESTART_MS + 60_000);
    const again = await engine.handleFrom(sms('hello'));
    expect(again.started).toBe(true);
    expect(again.conversationId).not.toBe(first.conversationId);
    expect(again.replies[0]?.text).toBe('Welcome back.');
  });

  test('when a patient consents by SMS, then they are recognised by phone number next time', async () => {
    const { engine, crm } = addressed();
    await engine.handleFrom(sms('hi'));
    const turn = await engine.handleFrom(sms('yes'));
    expect(texts(turn.replies)).toContain('about you, or about someone else');
    const me = await engine.handleFrom(sms('me'));
    expect(texts(me.replies)).toContain('we have found your record');
    const found = await crm.identifyByPhone(PHONE);
    expect(found.ok && found.patient.consent?.keepRecord).toBe(true);
  });

  test('when speech is heard with low confidence, then it is read back and used only once confirmed', async () => {
    const { engine } = addressed();
    const voice = (text: string, confidence?: number): AddressedMessage => ({
      channel: 'voice',
      address: PHONE,
      text,
      ...(confidence === undefined ? {} : { confidence }),
    });
    await engine.handleFrom(voice(''));
    const check = await engine.handleFrom(voice('yes', 0.3));
    expect(check.replies[0]?.text).toBe('I heard "yes". Is that right?');
    const confirmed = await engine.handleFrom(voice('yes', 0.9));
    expect(texts(confirmed.replies)).toContain('about you, or about someone else');
    const misheard = await engine.handleFrom(voice('knee', 0.2));
    expect(misheard.replies[0]?.text).toBe('I heard "knee". Is that right?');
    const rejected = await engine.handleFrom(voice('no', 0.9));
    expect(texts(rejected.replies)).toContain('about you, or about someone else');
  });

  test('when an emergency is heard with low confidence, then it is acted on without asking', async () => {
    const { engine } = addressed();
    await engine.handleFrom({ channel: 'voice', address: PHONE, text: '' });
    const turn = await engine.handleFrom({
      channel: 'voice',
      address: PHONE,
      text: 'he is not breathing',
      confidence: 0.3,
    });
    expect(turn.replies[0]?.kind).toBe('emergency');
  });

  test('when a resume code is used on the web, then the SMS conversation carries on there', async () => {
    const { engine } = addressed();
    const first = await engine.handleFrom(sms('hi'));
    await engine.handleFrom(sms('no'));
    await engine.handleFrom(sms('me'));
    const code = await engine.resumeCode(first.conversationId);
    expect(code).toMatch(/^[346789ABCDEFGHJKMNPQRTUVWXY]{6}$/);
    const resumed = await engine.resume(code!.toLowerCase(), 'web');
    expect(resumed?.conversationId).toBe(first.conversationId);
    expect(texts(resumed!.replies)).toContain("Let's carry on where we were.");
    expect(texts(resumed!.replies)).toContain('what is the main problem today?');
    expect(await engine.resume('NOPE42', 'web')).toBeUndefined();
  });

  test('when STOP and START are recorded, then the opt-out follows the number', async () => {
    const { engine } = addressed();
    expect(await engine.isSmsOptedOut(PHONE)).toBe(false);
    await engine.setSmsOptOut(PHONE, true);
    expect(await engine.isSmsOptedOut(PHONE)).toBe(true);
    await engine.setSmsOptOut(PHONE, false);
    expect(await engine.isSmsOptedOut(PHONE)).toBe(false);
  });

  test('when a call is handed over, then the summary says what was asked and answered', async () => {
    const { engine } = addressed();
    const first = await engine.handleFrom(sms('hi'));
    await engine.handleFrom(sms('no'));
    await engine.handleFrom(sms('me'));
    await engine.handleFrom(sms('headache'));
    const summary = await engine.summary(first.conversationId);
    expect(summary).toContain('handed over from the digital 111 service');
    expect(summary).toContain('Answer: me.');
  });

  test('when an identified patient moves their conversation to SMS, then their number joins the same record and history', async () => {
    const { engine, crm } = addressed();
    const web = await engine.start({ channel: 'web' });
    const say = (text: string) =>
      engine.handle({ channel: 'web', conversationId: web.conversationId, text });
    for (const text of ['yes', 'me', '943 476 5919', '14 3 1985']) {
      await say(text);
    }
    const code = await engine.resumeCode(web.conversationId);
    await engine.resume(code!, 'sms', PHONE);
    for (const text of ['headache', 'yes', 'no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes']) {
      await engine.handleFrom(sms(text));
    }
    const byNhs = await crm.identifyByNhsNumber('9434765919', '1985-03-14');
    const byPhone = await crm.identifyByPhone(PHONE);
    expect(byNhs.ok && byPhone.ok && byNhs.patient.id === byPhone.patient.id).toBe(true);
    const history = byNhs.ok ? await crm.history(byNhs.patient.id) : [];
    expect(history.map((h) => h.channel)).toEqual(['sms']);
  });
});
