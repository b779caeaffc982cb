import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTwilioMessenger } from '../../../src/channels/sms/outbound.js';
import { HELP_TEXT, OPT_IN_TEXT, OPT_OUT_TEXT } from '../../../src/channels/sms/router.js';
import { countSegments, isGsm7 } from '../../../src/channels/sms/segments.js';
import { FALLBACK_TEXT, MemoryConversationStore } from '../../../src/flows/index.js';
import { startFakeTwilio, type FakeTwilio } from '../../helpers/fake-twilio.js';
import {
  aMessageSid,
  aMobile,
  buildSmsApp,
  capturingLogger,
  postSms,
  PUBLIC_BASE_URL,
  sms,
  smsAll,
  WELCOME_START,
  type SmsTurn,
} from './sms-helpers.js';

const CONSENT_OPTIONS = "Reply 1 for Yes, 2 for No, 3 if you don't know.";
const WHO_OPTIONS = 'Reply 1 for Me, 2 for Someone else.';
const PROBLEM = 'In a few words, what is the main problem today?';

/** Every message of a turn is GSM-7 and at most 3 segments. */
function expectWithinLimits(turn: SmsTurn): void {
  for (const message of turn.messages) {
    expect(isGsm7(message), message).toBe(true);
    expect(countSegments(message).segments, message).toBeLessThanOrEqual(3);
  }
}

describe('SMS: TwiML and the start of a conversation', () => {
  const { app } = buildSmsApp();

  test('when a first message arrives, then the answer is one Response of Messages: welcome and a numbered consent question', async () => {
    const turn = await sms(app, aMobile(), 'hello');
    expect(turn.messages.length).toBeGreaterThanOrEqual(1);
    expect(turn.messages[0]).toMatch(/^Welcome\. /);
    expect(turn.text).toContain('call 999 now');
    expect(turn.text).toContain(`Can we keep a record of this conversation`);
    expect(turn.text).toContain(CONSENT_OPTIONS);
    expectWithinLimits(turn);
  });

  test('when the body is missing From, then the answer is still 200 TwiML with the safe fallback', async () => {
    const res = await postSms(app, { From: '', Body: 'hello' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toContain('<Response><Message>');
    expect(res.text).toContain('call 111');
  });

  test('when a message is longer than the engine reads, then it asks for fewer words and nothing is applied', async () => {
    const from = aMobile();
    const turn = await sms(app, from, 'word '.repeat(300));
    expect(turn.text).toContain('too long');
    expect(turn.text).toContain('999');
    expect((await sms(app, from, 'hello')).text).toContain(WELCOME_START);
  });
});

describe('SMS: numbered options and number replies', () => {
  const { app } = buildSmsApp();

  test('when "1" answers the yes-or-no consent question, then it is yes and the numbered "who" question follows', async () => {
    const from = aMobile();
    await sms(app, from, 'hello');
    const turn = await sms(app, from, '1');
    expect(turn.text).toBe(`Is this about you, or about someone else?\n${WHO_OPTIONS}`);
  });

  test('when "2" answers the consent question, then it is no: the next question comes and nothing is kept', async () => {
    const from = aMobile();
    await sms(app, from, 'hello');
    const turn = await sms(app, from, '2');
    expect(turn.text).toContain('Is this about you, or about someone else?');
  });

  test('when "1" answers the "who" question, then it is about the sender: their record is found by phone', async () => {
    const turn = await smsAll(app, aMobile(), 'hello', '1', '1');
    expect(turn.text).toBe(`Thank you, we have found your record.\n\n${PROBLEM}`);
  });

  test('when "2" answers the "who" question, then it is about someone else: no record is looked up', async () => {
    const turn = await smsAll(app, aMobile(), 'hello', '1', '2');
    expect(turn.text).toBe(PROBLEM);
  });

  test('when a number answers a pathway choice question, then it picks that option by position', async () => {
    const from = aMobile();
    await smsAll(app, from, 'hello', '1', '2', 'my son has tummy pain', '1', '30');
    // Seven warning-sign questions, each answered "2" (no), lead to the sex question.
    let turn = await smsAll(app, from, ...Array<string>(7).fill('2'));
    expect(turn.text).toContain('Is the person with the tummy pain female or male?');
    expect(turn.text).toContain("Reply 1 for Female, 2 for Male, 3 if you don't know.");
    turn = await sms(app, from, '2');
    expect(turn.text).toContain('testicle');
  });

  test('when the question takes a number, then its options are not numbered and "1" stays a number', async () => {
    const from = aMobile();
    const ageQuestion = await smsAll(app, from, 'hello', '1', '2', 'my baby has a fever', '1');
    expect(ageQuestion.text).toContain('How old are they?');
    expect(ageQuestion.text).not.toMatch(/Reply 1 for/);
  });
});

describe('SMS: a whole conversation', () => {
  const { app } = buildSmsApp();

  test('when an adult texts about a headache and answers by number, then the outcome is self-care, split into messages of at most 3 segments', async () => {
    const from = aMobile();
    await smsAll(app, from, 'hello', '1', '1', 'I have a headache');
    const age = await sms(app, from, '1');
    expect(age.text).toContain('How old are you?');
    let turn = await sms(app, from, '34');
    for (let i = 0; i < 12 && !turn.text.includes('On how many days'); i++) {
      expect(turn.text).toContain("Reply 1 for Yes, 2 for No, 3 if you don't know.");
      turn = await sms(app, from, '2');
    }
    expect(turn.text).toContain('On how many days in the last month have you taken painkillers');
    const outcome = await sms(app, from, '2');
    expect(outcome.messages[0]).toMatch(/^Look after yourself at home\./);
    expect(outcome.text).toContain('Why we said this: You answered no to each of the');
    expect(outcome.text).toContain('What you can do now:');
    expect(outcome.text).toContain('Get help sooner if things change:');
    expect(outcome.messages.length).toBeGreaterThanOrEqual(2);
    expectWithinLimits(outcome);
    // The outcome is long enough to need more than one segment: it really was split to fit.
    expect(outcome.messages.join('').length).toBeGreaterThan(459);
  });

  test('when the first message is an emergency, then 999 comes first, with "we cannot call 999" in the first segment', async () => {
    const turn = await sms(app, aMobile(), 'I have crushing chest pain');
    const first = turn.messages[0] ?? '';
    expect(first).toMatch(/^Call 999 now\. We cannot call 999 for you/);
    expect(first.slice(0, 153)).toContain('We cannot call 999 for you');
    // The welcome is still there, after the emergency.
    expect(turn.text.indexOf(WELCOME_START)).toBeGreaterThan(turn.text.indexOf('Call 999 now'));
    expectWithinLimits(turn);
  });

  test('when an emergency is texted mid-conversation, then the first message opens with it', async () => {
    const from = aMobile();
    await smsAll(app, from, 'hello', '1');
    const turn = await sms(app, from, 'my dad has collapsed and is not breathing');
    expect(turn.messages[0]).toMatch(/^Call 999 now\. We cannot call 999 for you/);
    expectWithinLimits(turn);
  });
});

describe('SMS: repeated MessageSid', () => {
  const { app } = buildSmsApp();

  test('when Twilio retries a message with the same MessageSid, then the same answer comes back and it is applied once', async () => {
    const from = aMobile();
    await sms(app, from, 'hello');
    const sid = aMessageSid();
    const first = await sms(app, from, '1', sid); // consent: yes
    const again = await sms(app, from, '1', sid);
    expect(again.messages).toEqual(first.messages);
    // Had the retry been applied, "1" would have answered the "who" question already and this
    // "2" would be read as the problem; instead it answers "who" (someone else).
    const next = await sms(app, from, '2');
    expect(next.text).toBe(PROBLEM);
  });
});

describe('SMS: keywords', () => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(async () => {
    await fake.close();
  });

  test.each(['STOP', 'stop', 'Stop.', 'UNSUBSCRIBE', 'stopall', 'CANCEL', 'End', 'QUIT'])(
    'when the message is %j, then the number is opted out and told how to restart',
    async (word) => {
      const { app, engine } = buildSmsApp();
      const from = aMobile();
      const turn = await sms(app, from, word);
      expect(turn.messages).toEqual([OPT_OUT_TEXT]);
      expect(turn.text).toContain('START');
      expect(await engine.isSmsOptedOut(from)).toBe(true);
    },
  );

  test('when a number opts out, then outbound texts to it are refused; after START they go out again', async () => {
    const { app, engine } = buildSmsApp();
    const { logger } = capturingLogger();
    const messenger = createTwilioMessenger({
      twilio: {
        accountSid: fake.accountSid,
        authToken: fake.authToken,
        fromNumber: '+447700900000',
        apiBaseUrl: fake.url,
        validate: true,
      },
      logger,
      isOptedOut: (phone) => engine.isSmsOptedOut(phone),
    });
    const from = aMobile();
    const before = fake.requests.length;

    await sms(app, from, 'STOP');
    expect(await messenger.sendSms(from, 'Your appointment is at 10:00.')).toEqual({
      ok: false,
      reason: 'opted-out',
    });
    expect(fake.requests.length).toBe(before);

    const start = await sms(app, from, 'START');
    expect(start.messages).toEqual([OPT_IN_TEXT]);
    expect(await engine.isSmsOptedOut(from)).toBe(false);
    const sent = await messenger.sendSms(from, 'Your appointment is at 10:00.');
    expect(sent.ok).toBe(true);
    expect(fake.requests.at(-1)?.form).toMatchObject({
      To: from,
      Body: 'Your appointment is at 10:00.',
    });
  });

  test('when the message is HELP, then it says what the service is, 999 for emergencies and how to use it, and starts nothing', async () => {
    const { app } = buildSmsApp();
    const from = aMobile();
    const turn = await sms(app, from, 'help');
    expect(turn.messages).toEqual([HELP_TEXT]);
    expect(turn.text).toContain('999');
    expect(turn.text).toMatch(/BACK.*RESTART.*LINK.*STOP/s);
    expectWithinLimits(turn);
    expect((await sms(app, from, 'hello')).text).toContain(WELCOME_START);
  });

  test('when the message is BACK during the questions, then the engine goes back to the last question', async () => {
    const { app } = buildSmsApp();
    const from = aMobile();
    const first = await smsAll(app, from, 'hello', '1', '1', 'I have a headache', '1', '34');
    const question = first.text.split('\n')[0] ?? '';
    await sms(app, from, '2');
    const back = await sms(app, from, 'BACK');
    expect(back.text).toContain("OK, let's go back to the last question.");
    expect(back.text).toContain(question);
  });

  test('when the message is RESTART, then the engine starts again', async () => {
    const { app } = buildSmsApp();
    const from = aMobile();
    await smsAll(app, from, 'hello', '1', '1', 'I have a headache');
    const turn = await sms(app, from, 'RESTART');
    expect(turn.text).toContain("OK, let's start again.");
    expect(turn.text).toContain(PROBLEM);
  });

  test.each(['LINK', 'web'])(
    'when the message is %j, then a resume link comes back that the web can continue from',
    async (word) => {
      const { app, engine } = buildSmsApp();
      const from = aMobile();
      await smsAll(app, from, 'hello', '1');
      const turn = await sms(app, from, word);
      const match = /https:\/\/111\.example\.nhs\.uk\/\?resume=([A-Z0-9]+)/.exec(turn.text);
      expect(match, turn.text).not.toBeNull();
      expect(
        turn.text.startsWith(
          `To carry on on the web, open this link:\n${PUBLIC_BASE_URL}/?resume=`,
        ),
      ).toBe(true);
      // The question they are on is asked again, so they can also just reply.
      expect(turn.text).toContain(WHO_OPTIONS);
      const resumed = await engine.resume(match?.[1] ?? '', 'web');
      expect(resumed).toBeDefined();
      const view = await engine.view(resumed?.conversationId ?? '');
      // The same conversation: the consent answer texted earlier is in it, LINK itself is not.
      expect(view?.transcript.filter((e) => e.from === 'patient').map((e) => e.text)).toEqual([
        '1',
      ]);
    },
  );
});

describe('SMS: failures', () => {
  test('when the engine throws, then the answer is 200 TwiML with the safe fallback text and the error is logged', async () => {
    class BrokenStore extends MemoryConversationStore {
      override findByAddress(): Promise<string | undefined> {
        return Promise.reject(new Error('store down'));
      }
    }
    const { app, logs } = buildSmsApp({ store: new BrokenStore({ ttlSeconds: 3600 }) });
    const res = await postSms(app, { From: aMobile(), Body: 'hello' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).not.toContain('store down');
    expect(res.text).not.toMatch(/at .*\.ts/);
    const turn = await sms(
      buildSmsApp({ store: new BrokenStore({ ttlSeconds: 3600 }) }).app,
      aMobile(),
      'hi',
    );
    expect(turn.messages).toEqual([FALLBACK_TEXT]);
    expect(logs.some((l) => l.level >= 50 && l.msg.includes('safe fallback'))).toBe(true);
  });
});
