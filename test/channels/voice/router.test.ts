import express from 'express';
import request from 'supertest';
import twilio from 'twilio';
import { afterAll, describe, expect, test } from 'vitest';
import { voiceRouter } from '../../../src/channels/voice/router.js';
import {
  FALLBACK_TEXT,
  MemoryConversationStore,
  type ConversationEngine,
} from '../../../src/flows/index.js';
import { createLogger } from '../../../src/shared/index.js';
import { buildTestApp } from '../../helpers/app.js';
import {
  findAll,
  only,
  parseTwiml,
  queryOf,
  spokenText,
  verbs,
  type TwimlElement,
} from './twiml.js';

const AUTH_TOKEN = 'voice-test-auth-token';
const BASE = 'https://111.example.nhs.uk';
const HANDOFF = '+441134960000';

/** A conversation store that fails on demand, as Redis does when it goes away. */
class FlakyStore extends MemoryConversationStore {
  failing = false;
  override async findByAddress(addressKey: string): Promise<string | undefined> {
    if (this.failing) {
      throw new Error('store unavailable');
    }
    return super.findByAddress(addressKey);
  }
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

function voiceApp(options: { handoffNumber?: string } = { handoffNumber: HANDOFF }): {
  app: express.Express;
  engine: ConversationEngine;
  store: FlakyStore;
} {
  const store = new FlakyStore({ ttlSeconds: 3600 });
  const built = buildTestApp({ store });
  closers.push(() => built.close());
  const app = express().use(
    voiceRouter({
      engine: built.engine,
      twilio: { authToken: AUTH_TOKEN, validate: true },
      publicBaseUrl: BASE,
      handoffNumber: options.handoffNumber,
      logger: createLogger('silent'),
    }),
  );
  return { app, engine: built.engine, store };
}

type Params = Record<string, string>;

interface Answered {
  status: number;
  contentType: string;
  body: string;
  root: TwimlElement;
}

/** Posts as Twilio does: form-encoded, signed over the public URL and the parameters. */
async function signedPost(app: express.Express, path: string, params: Params): Promise<Answered> {
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, BASE + path, params);
  const res = await request(app)
    .post(path)
    .type('form')
    .set('X-Twilio-Signature', signature)
    .send(params);
  return {
    status: res.status,
    contentType: String(res.headers['content-type']),
    body: res.text,
    root: parseTwiml(res.text),
  };
}

let calls = 0;

/** One phone call, driven the way Twilio drives it: each request goes to the last action URL. */
class Call {
  readonly app: express.Express;
  readonly sid: string;
  readonly from: string;
  last: Answered | undefined;

  constructor(app: express.Express, from?: string) {
    this.app = app;
    const n = ++calls;
    this.sid = `CA${String(n).padStart(32, '0')}`;
    this.from = from ?? `+4477009${String(n).padStart(5, '0')}`;
  }

  /** Where the next request goes: the action of the last Gather (or Dial). */
  get action(): string {
    if (!this.last) {
      return '/twilio/voice';
    }
    const gathers = findAll(this.last.root, 'Gather');
    const target = gathers.at(-1) ?? findAll(this.last.root, 'Dial').at(-1);
    const action = target?.attributes.action;
    if (action === undefined) {
      throw new Error(`nothing to answer in ${this.last.body}`);
    }
    return action;
  }

  /** The prompt of the last Gather, as the caller hears it. */
  get prompt(): string {
    return this.last ? spokenText(only(this.last.root, 'Gather')) : '';
  }

  get conversationId(): string {
    const id = queryOf(this.action).c;
    if (id === undefined) {
      throw new Error('no conversation id in the action URL');
    }
    return id;
  }

  async post(params: Params, path = this.action): Promise<Answered> {
    this.last = await signedPost(this.app, path, {
      CallSid: this.sid,
      From: this.from,
      To: '+441134960111',
      AccountSid: 'AC00000000000000000000000000000000',
      ...params,
    });
    expect(this.last.status).toBe(200);
    expect(this.last.contentType).toMatch(/^text\/xml/);
    return this.last;
  }

  start(): Promise<Answered> {
    return this.post({ CallStatus: 'ringing', Direction: 'inbound' }, '/twilio/voice');
  }

  say(speech: string, confidence = '0.92'): Promise<Answered> {
    return this.post({ SpeechResult: speech, Confidence: confidence });
  }

  press(digits: string): Promise<Answered> {
    return this.post({ Digits: digits });
  }

  silence(): Promise<Answered> {
    return this.post({});
  }
}

/** After consent and "me", on the phone the number identifies the caller: next is the problem. */
const HEADACHE_TO_SELF_CARE = ['I have a headache', 'yes', '34', ...Array<string>(10).fill('no')];

async function spokenHeadacheToOutcome(call: Call): Promise<Answered> {
  await call.start();
  await call.say('yes');
  await call.say('me');
  for (const answer of HEADACHE_TO_SELF_CARE) {
    await call.say(answer);
  }
  // The last question is a choice; answer it as the web test does.
  return call.say('2');
}

describe('voice router: signatures', () => {
  const { app } = voiceApp();

  test('when the signature is missing, then the answer is 400 and nothing is started', async () => {
    const res = await request(app)
      .post('/twilio/voice')
      .type('form')
      .send({ CallSid: 'CA1', From: '+447700900001' });
    expect(res.status).toBe(400);
  });

  test('when the signature is forged, then the answer is 403 and the conversation is not started', async () => {
    const from = '+447700900002';
    const params = { CallSid: 'CA2', From: from };
    const forged = twilio.getExpectedTwilioSignature(
      'not-the-token',
      `${BASE}/twilio/voice`,
      params,
    );
    const res = await request(app)
      .post('/twilio/voice')
      .type('form')
      .set('X-Twilio-Signature', forged)
      .send(params);
    expect(res.status).toBe(403);

    // The real call from that number is a first contact: the welcome, not "where were we".
    const call = new Call(app, from);
    const started = await call.start();
    expect(spokenText(started.root)).toMatch(/^Welcome\./);
  });

  test('when the parameters were changed after signing, then the answer is 403', async () => {
    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${BASE}/twilio/voice`, {
      CallSid: 'CA3',
      From: '+447700900003',
    });
    const res = await request(app)
      .post('/twilio/voice')
      .type('form')
      .set('X-Twilio-Signature', signature)
      .send({ CallSid: 'CA3', From: '+447700900003', SpeechResult: 'operator' });
    expect(res.status).toBe(403);
  });

  test('when the whisper is requested with a forged or no signature, then it is refused', async () => {
    await request(app)
      .post('/twilio/voice/whisper?conversation=x')
      .type('form')
      .send({})
      .expect(400);
    await request(app)
      .post('/twilio/voice/whisper?conversation=x')
      .type('form')
      .set('X-Twilio-Signature', 'bm90IGEgc2lnbmF0dXJl')
      .send({ CallSid: 'CA4' })
      .expect(403);
  });
});

describe('voice router: a call', () => {
  const { app, engine } = voiceApp();

  test('when a call starts, then the caller is welcomed and asked the first question in a Gather', async () => {
    const call = new Call(app);
    const { root } = await call.start();
    expect(verbs(root)).toEqual(['Say', 'Say', 'Gather']);
    expect(root.children[0]?.text).toMatch(/not for emergencies.*999/);
    expect(root.children[1]?.text).toMatch(/say operator or press 0/);
    for (const say of findAll(root, 'Say')) {
      expect(say.attributes).toEqual({ voice: 'Polly.Amy', language: 'en-GB' });
    }
    const gather = only(root, 'Gather');
    expect(gather.attributes).toMatchObject({
      input: 'speech dtmf',
      language: 'en-GB',
      speechTimeout: 'auto',
      actionOnEmptyResult: 'true',
      finishOnKey: '#',
      hints: "Yes, No, I don't know",
    });
    expect(verbs(gather)).toEqual(['Say']);
    expect(call.prompt).toMatch(/^Can we keep a record.*Say yes or press 1, say no or press 2/);
    const action = gather.attributes.action ?? '';
    expect(action.startsWith('/twilio/voice?')).toBe(true);
    expect(queryOf(action)).toMatchObject({ t: '1', e: 'yes-no', o: 'yes,no,unsure' });
    expect(call.conversationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('when the caller answers by speech all the way, then the outcome is read with reasons, advice and safety netting', async () => {
    const call = new Call(app);
    const { root } = await spokenHeadacheToOutcome(call);
    const said = spokenText(root);
    expect(said).toContain('This is because:');
    expect(said).toContain('What you can do now:');
    expect(said).toContain('Get help sooner if things change:');
    expect(verbs(root).slice(-3)).toEqual(['Gather', 'Say', 'Hangup']);
    const gather = only(root, 'Gather');
    expect(spokenText(gather)).toMatch(/To hear that again, press 1/);
    expect(queryOf(gather.attributes.action ?? '')).toMatchObject({ a: 'again' });

    const view = await engine.view(queryOf(gather.attributes.action ?? '').c ?? '');
    expect(view).toMatchObject({ channel: 'voice', status: 'ended', disposition: 'SELF_CARE' });
  });

  test('when the caller presses 1 after the outcome, then it is read again; any other key says goodbye', async () => {
    const call = new Call(app);
    const outcome = await spokenHeadacheToOutcome(call);
    const replayed = queryOf(call.action).k;
    const again = await call.press('1');
    expect(spokenText(again.root)).toBe(spokenText(outcome.root));
    expect(spokenText(again.root)).toContain('This is because:');
    expect(queryOf(call.action).k).toBe(replayed);
    const bye = await call.press('2');
    expect(verbs(bye.root)).toEqual(['Say', 'Hangup']);
    expect(spokenText(bye.root)).toMatch(/Goodbye/);
  });

  test('when the caller answers by keypad, then keys pick options by position and numbers go as typed', async () => {
    const call = new Call(app);
    await call.start();
    await call.press('1'); // yes, keep a record
    const who = await call.press('1'); // me
    expect(queryOf(call.action)).toMatchObject({ e: 'text' });
    expect(spokenText(who.root)).toMatch(/main problem/);
    await call.say('I have a headache');
    const age = await call.press('1'); // yes, it is about headache
    expect(call.prompt).toMatch(/How old/);
    expect(only(age.root, 'Gather').attributes.numDigits).toBeUndefined();
    await call.press('34');
    for (let i = 0; i < 10; i++) {
      await call.press('2'); // no
    }
    const outcome = await call.press('2');
    expect(spokenText(outcome.root)).toContain('This is because:');

    const view = await engine.view(call.conversationId);
    const said = view?.transcript.filter((t) => t.from === 'patient').map((t) => t.text);
    expect(said?.slice(0, 5)).toEqual(['yes', 'self', 'I have a headache', 'yes', '34']);
  });

  test('when speech is heard with low confidence, then it is read back for the caller to confirm', async () => {
    const call = new Call(app);
    await call.start();
    await call.say('yes');
    await call.say('me');
    const check = await call.say('I have a headache', '0.31');
    expect(call.prompt).toMatch(
      /^I heard "I have a headache"\. Is that right\? Say yes or press 1/,
    );
    expect(queryOf(call.action)).toMatchObject({ o: 'yes,no' });
    expect(findAll(check.root, 'Hangup')).toHaveLength(0);
    await call.say('yes');
    expect(call.prompt).toMatch(/Headache\. Is that right\?/);
  });

  // A read-back confirmed by key 1 arrives as optionId 'yes'; the engine must use the held speech.
  test('when a low-confidence read-back is confirmed with key 1, then the held speech is used', async () => {
    const call = new Call(app);
    await call.start();
    await call.say('yes');
    await call.say('me');
    await call.say('I have a headache', '0.31');
    await call.press('1');
    expect(call.prompt).toMatch(/Headache\. Is that right\?/);
  });

  test('when a retried webhook arrives with the same turn, then it is answered the same and applied once', async () => {
    const call = new Call(app);
    await call.start();
    const action = call.action;
    const first = await call.post({ SpeechResult: 'yes', Confidence: '0.9' }, action);
    const retry = await call.post({ SpeechResult: 'yes', Confidence: '0.9' }, action);
    expect(retry.body).toBe(first.body);
    const view = await engine.view(call.conversationId);
    expect(view?.transcript.filter((t) => t.from === 'patient')).toHaveLength(1);
  });

  test('when a red flag is said, then the first thing said is to hang up and dial 999, and the call ends', async () => {
    const call = new Call(app);
    await call.start();
    await call.say('yes');
    const id = call.conversationId;
    const { root } = await call.say('my husband is not breathing');
    expect(root.children[0]?.name).toBe('Say');
    expect(root.children[0]?.text).toMatch(/^Hang up and dial 999 now/);
    expect(verbs(root).at(-1)).toBe('Hangup');
    expect(findAll(root, 'Gather')).toHaveLength(0);
    expect(spokenText(root)).toMatch(/Please hang up now and dial 999\.$/);
    expect((await engine.view(id))?.status).toBe('emergency');
  });
});

describe('voice router: silence and asking for a person', () => {
  const { app, engine } = voiceApp();

  test('when nothing is heard once, then the caller is told and asked the same question again', async () => {
    const call = new Call(app);
    await call.start();
    const asked = call.prompt;
    await call.silence();
    expect(call.prompt).toBe(`Sorry, I didn't hear anything. ${asked}`);
    expect(queryOf(call.action)).toMatchObject({ n: '1', o: 'yes,no,unsure' });
  });

  test('when nothing is heard twice, then the caller is put through to the hand-off number', async () => {
    const call = new Call(app);
    await call.start();
    const id = call.conversationId;
    await call.silence();
    const { root } = await call.silence();
    expect(verbs(root)).toEqual(['Say', 'Dial']);
    expect(root.children[0]?.text).toMatch(/putting you through/);
    const number = only(root, 'Number');
    expect(number.text).toBe(HANDOFF);
    expect(number.attributes.url).toBe(`/twilio/voice/whisper?conversation=${id}`);
  });

  test('when an answer comes after one silence, then the silence count starts again', async () => {
    const call = new Call(app);
    await call.start();
    await call.silence();
    await call.say('yes');
    expect(queryOf(call.action).n).toBeUndefined();
    await call.silence();
    expect(call.prompt).toMatch(/^Sorry, I didn't hear anything\./);
  });

  test.each([
    ['says "operator"', (call: Call) => call.say('operator')],
    ['says "can I speak to someone"', (call: Call) => call.say('can I speak to someone please')],
    ['presses 0', (call: Call) => call.press('0')],
  ])('when the caller %s, then they are put through with a whisper of the call', async (_, act) => {
    const call = new Call(app);
    await call.start();
    await call.say('yes');
    const id = call.conversationId;
    const { root } = await act(call);
    expect(spokenText(root)).toMatch(/putting you through to a person/);
    const dial = only(root, 'Dial');
    expect(only(dial, 'Number').text).toBe(HANDOFF);
    expect(only(dial, 'Number').attributes.url).toBe(`/twilio/voice/whisper?conversation=${id}`);

    // Nothing of the request for a person reached the conversation.
    const view = await engine.view(id);
    expect(view?.transcript.filter((t) => t.from === 'patient').map((t) => t.text)).toEqual([
      'yes',
    ]);
  });

  test('when the person who answers hears the whisper, then it is the summary of the call', async () => {
    const call = new Call(app);
    await call.start();
    await call.say('yes');
    await call.say('me');
    await call.say('I have a headache');
    await call.say('operator');
    const url = only(call.last?.root ?? parseTwiml('<Response/>'), 'Number').attributes.url ?? '';
    const whisper = await signedPost(app, url, {
      CallSid: 'CA0000000000000000000000000000whisper',
      From: '+441134960111',
      To: HANDOFF,
    });
    expect(whisper.status).toBe(200);
    expect(verbs(whisper.root)).toEqual(['Say']);
    const summary = await engine.summary(queryOf(url).conversation ?? '');
    expect(summary).toContain('headache');
    expect(whisper.root.children[0]?.text).toBe(summary);
    expect(whisper.root.children[0]?.attributes).toEqual({ voice: 'Polly.Amy', language: 'en-GB' });
  });

  test('when the person does not answer, then the caller is told where else to get help', async () => {
    const call = new Call(app);
    await call.start();
    await call.say('operator');
    const { root } = await call.post({ DialCallStatus: 'no-answer' });
    expect(spokenText(root)).toMatch(/call 111.*999/);
    expect(verbs(root).at(-1)).toBe('Hangup');
  });
});

describe('voice router: without a hand-off number', () => {
  const { app } = voiceApp({});

  test('when the caller asks for a person, then they are told to call 111 and the call ends', async () => {
    const call = new Call(app);
    const start = await call.start();
    expect(spokenText(start.root)).not.toMatch(/operator/);
    const { root } = await call.say('operator');
    expect(verbs(root)).toEqual(['Say', 'Hangup']);
    expect(spokenText(root)).toMatch(/call 111/);
    expect(findAll(root, 'Dial')).toHaveLength(0);
  });

  test('when nothing is heard twice, then they are told to call 111 and the call ends', async () => {
    const call = new Call(app);
    await call.start();
    await call.silence();
    const { root } = await call.silence();
    expect(verbs(root)).toEqual(['Say', 'Hangup']);
    expect(spokenText(root)).toMatch(/call 111/);
  });
});

describe('voice router: failures', () => {
  const { app, store } = voiceApp();

  test('when the engine throws, then the safe fallback is spoken with 200 and the call ends', async () => {
    const call = new Call(app);
    store.failing = true;
    try {
      const { root, body } = await call.start();
      expect(verbs(root)).toEqual(['Say', 'Hangup']);
      expect(root.children[0]?.text).toBe(FALLBACK_TEXT);
      expect(body).not.toMatch(/store unavailable|Error|at /);
    } finally {
      store.failing = false;
    }
  });

  test('when a withheld number calls, then the call itself keys the conversation', async () => {
    const first = new Call(app, 'anonymous');
    const second = new Call(app, 'anonymous');
    await first.start();
    await first.say('yes');
    const other = await second.start();
    expect(spokenText(other.root)).toMatch(/^Welcome\./);
    expect(second.conversationId).not.toBe(first.conversationId);
  });
});
