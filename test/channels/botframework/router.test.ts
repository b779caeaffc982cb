import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { conversationKey, type BotEngine } from '../../../src/channels/botframework/bot.js';
import { FALLBACK_TEXT } from '../../../src/flows/index.js';
import { createLogger } from '../../../src/shared/index.js';
import { buildTestApp, HEADACHE_SELF_CARE, testConfig } from '../../helpers/app.js';
import {
  aChat,
  actionsOf,
  aMembersAdded,
  aMessage,
  allText,
  botApp,
  post,
  type SentActivity,
} from './activities.js';

const built = buildTestApp();
const { engine } = built;
const app = botApp({ engine });

afterAll(async () => {
  await built.close();
});

const CONSENT = /keep a record of this conversation/;
const WHO = 'Is this about you, or about someone else?';
const EMERGENCY_TEXT = 'I have crushing chest pain and cannot breathe';

function titles(activities: readonly SentActivity[]): string[] {
  return actionsOf(activities).map((a) => a.title);
}

async function patientLines(emulatorConversationId: string): Promise<string[]> {
  const view = await engine.view(
    conversationKey({ channelId: 'emulator', conversation: { id: emulatorConversationId } }),
  );
  return (view?.transcript ?? []).filter((t) => t.from === 'patient').map((t) => t.text);
}

/** A fake of the channel's own engine interface that records every call and answers nothing. */
function recordingEngine(): BotEngine & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    handle: (message) => {
      calls.push(`handle:${message.conversationId}`);
      return Promise.resolve({ notFound: true as const });
    },
    start: (options) => {
      calls.push('start');
      return Promise.resolve({
        conversationId: options.conversationId ?? 'x',
        replies: [{ kind: 'statement', text: 'Welcome.', expects: 'none' }],
        status: 'active',
        ended: false,
      });
    },
    interrupts: () => false,
    view: () => {
      calls.push('view');
      return Promise.resolve(undefined);
    },
  };
}

describe('Bot Framework channel: starting a conversation', () => {
  test('when a first message arrives, then the welcome and the consent question come back with suggested actions', async () => {
    const chat = aChat(app);

    const activities = await chat.say('Hello!');

    expect(activities).toHaveLength(2);
    expect(activities.every((a) => a.type === 'message' && a.textFormat === 'markdown')).toBe(true);
    expect(activities[0]?.text).toContain('not for emergencies');
    expect(activities[0]?.suggestedActions).toBeUndefined();
    expect(activities[1]?.text).toMatch(CONSENT);
    expect(activities[1]?.inputHint).toBe('expectingInput');
    expect(actionsOf(activities)).toEqual([
      { type: 'imBack', title: 'Yes', value: 'Yes' },
      { type: 'imBack', title: 'No', value: 'No' },
      { type: 'imBack', title: "I don't know", value: "I don't know" },
    ]);
    // A greeting is not passed on: it would answer a question the patient has not seen.
    expect(await patientLines(chat.conversationId)).toEqual([]);
  });

  test('when the Emulator opens a chat, then the user joining is welcomed once, and the bot joining alone is not', async () => {
    const chat = aChat(app);

    const first = await post(app, aMembersAdded(chat.conversationId, ['bot-1', 'user-1']));
    const repeated = await post(app, aMembersAdded(chat.conversationId, ['user-1']));
    const botOnly = await post(app, aMembersAdded('another-conversation', ['bot-1']));
    const answer = await chat.say('yes');

    expect(first.map((a) => a.text)).toEqual([
      expect.stringContaining('Welcome'),
      expect.stringMatching(CONSENT),
    ]);
    expect(repeated).toEqual([]);
    expect(botOnly).toEqual([]);
    expect(answer.map((a) => a.text)).toEqual([WHO]);
  });

  test('when another turn starts the conversation first, then this message is answered as an ordinary turn', async () => {
    // The race of two first messages, made deterministic: the engine refuses the second start.
    const calls: string[] = [];
    let started = false;
    const racing: BotEngine = {
      handle: () => {
        calls.push('handle');
        return Promise.resolve(
          calls.length === 1
            ? { notFound: true as const }
            : {
                conversationId: 'c',
                replies: [{ kind: 'question', text: 'Who is it for?', expects: 'choice' }],
                status: 'active',
                ended: false,
              },
        );
      },
      start: () => {
        calls.push('start');
        started = true; // the other turn won: this start is refused
        return Promise.reject(new Error('conversation c could not be started'));
      },
      interrupts: () => false,
      view: () => {
        calls.push('view');
        return Promise.resolve(
          started
            ? { conversationId: 'c', channel: 'botframework', status: 'active', transcript: [] }
            : undefined,
        );
      },
    };

    const activities = await post(botApp({ engine: racing }), aMessage('yes'));

    expect(calls).toEqual(['handle', 'view', 'start', 'view', 'handle']);
    expect(activities.map((a) => a.text)).toEqual(['Who is it for?']);
  });

  test('when the first message describes the problem, then the welcome asks for consent and the description is not taken as an answer', async () => {
    const chat = aChat(app);

    const activities = await chat.say('I have a headache');

    expect(activities[0]?.text).toContain('Welcome');
    expect(activities[1]?.text).toMatch(CONSENT);
    expect(activities).toHaveLength(2);
    expect(await patientLines(chat.conversationId)).toEqual([]);
  });
});

describe('Bot Framework channel: answering', () => {
  test('when a suggested action is tapped (imBack), then its text answers the question', async () => {
    const chat = aChat(app);
    const welcome = await chat.say('hi');
    const yes = actionsOf(welcome).find((a) => a.title === 'Yes');

    const activities = await chat.say(String(yes?.value));

    expect(activities.map((a) => a.text)).toEqual([WHO]);
    expect(titles(activities)).toEqual(['Me', 'Someone else']);
  });

  test('when a messageBack sends value { optionId }, then the option is chosen', async () => {
    const chat = aChat(app);
    await chat.say('hi');

    const consent = await chat.tap({ optionId: 'no' });
    const who = await chat.tap({ optionId: 'self' }, 'Me');

    expect(consent.map((a) => a.text)).toEqual([WHO]);
    expect(who.at(-1)?.text).toBe('In a few words, what is the main problem today?');
    expect(await patientLines(chat.conversationId)).toEqual(['no', 'Me']);
  });

  test('when a question has help, then "What does this mean?" is offered and tapping it explains', async () => {
    const chat = aChat(app);
    await chat.say('hi');
    let last: SentActivity[] = [];
    for (const text of HEADACHE_SELF_CARE.slice(0, 5)) {
      last = await chat.say(text);
    }
    const help = actionsOf(last).find((a) => a.title === 'What does this mean?');

    const explained = await chat.say(String(help?.value));

    expect(last.at(-1)?.text).toMatch(/face dropped/);
    expect(help).toEqual({
      type: 'imBack',
      title: 'What does this mean?',
      value: 'What does this mean?',
    });
    expect(allText(explained)).toContain('These can be signs of a stroke');
  });

  test('when a whole conversation is answered, then the outcome activity shows the disposition and lists the reasons', async () => {
    const chat = aChat(app);
    await chat.say('hi');
    let last: SentActivity[] = [];
    for (const text of HEADACHE_SELF_CARE) {
      last = await chat.say(text);
    }

    const outcome = last.find((a) => a.text?.startsWith('**Look after yourself at home**'));
    expect(outcome?.text).toContain('Why we are advising this:');
    expect(outcome?.text).toMatch(
      /\n- You answered no to each of the \d+ questions about warning signs\./,
    );
    expect(outcome?.text).toMatch(/\n- You answered "2 days" to: /);
    expect(allText(last)).toContain('What you can do now:');
    expect(last.some((a) => a.suggestedActions)).toBe(false);
    expect(last.at(-1)?.inputHint).toBe('acceptingInput');
  });

  test('when an activity is delivered twice with the same id, then it is applied once and answered the same', async () => {
    const chat = aChat(app);
    await chat.say('hi');

    const first = await chat.say('yes', { id: 'activity-1' });
    const again = await chat.say('yes', { id: 'activity-1' });
    const next = await chat.say('me');

    expect(again).toEqual(first);
    expect(await patientLines(chat.conversationId)).toEqual(['yes', 'me']);
    expect(next.at(-1)?.text).toMatch(/NHS number/);
  });

  test('when a message is over 1,000 characters, then the patient is asked to send it shorter', async () => {
    const chat = aChat(app);

    const activities = await chat.say('a'.repeat(1001));

    expect(activities).toHaveLength(1);
    expect(activities[0]?.text).toMatch(/too long.*under 1,000 characters.*call 999/);
  });
});

describe('Bot Framework channel: emergencies', () => {
  test('when the first message describes an emergency, then the 999 instruction comes first, with its reasons', async () => {
    const chat = aChat(app);

    const activities = await chat.say(EMERGENCY_TEXT);

    expect(activities[0]?.text).toMatch(/^\*\*Call 999 now\*\*/);
    expect(activities[0]?.text).toContain('Why we are advising this:\n\n- You told us about:');
    expect(allText(activities)).not.toMatch(CONSENT);
  });

  test('when an emergency is described mid-conversation, then the 999 instruction is sent first', async () => {
    const chat = aChat(app);
    await chat.say('hi');
    await chat.say('yes');

    const activities = await chat.say(EMERGENCY_TEXT);

    expect(activities[0]?.text).toMatch(/^\*\*Call 999 now\*\*/);
    expect(activities[0]?.text).toContain('We cannot call 999 for you');
  });
});

describe('Bot Framework channel: bad requests and authentication', () => {
  test('when the body is not JSON, then the answer is 400 and the engine is not called', async () => {
    const fake = recordingEngine();
    const fakeApp = botApp({ engine: fake });

    await request(fakeApp)
      .post('/api/messages')
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(400);
    const malformed = await request(fakeApp)
      .post('/api/messages')
      .set('Content-Type', 'application/json')
      .send('{"type": "message",')
      .expect(400);

    expect(malformed.body).toEqual({
      error: { code: 'invalid-input', message: 'The body must be a Bot Framework activity.' },
    });
    expect(fake.calls).toEqual([]);
  });

  test('when an app id is configured, then an activity without a valid token is refused and the engine never sees it', async () => {
    const fake = recordingEngine();
    const secured = botApp({
      engine: fake,
      botFramework: testConfig({
        MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001',
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
      }).botFramework,
    });

    // CloudAdapter reports refused requests with console.error; keep the test output clean.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const missing = await request(secured).post('/api/messages').send(aMessage('hello'));
      const bogus = await request(secured)
        .post('/api/messages')
        .set('Authorization', 'Bearer x')
        .send(aMessage('hello'));

      expect(missing.status).toBe(401);
      expect(bogus.status).toBe(401);
      expect(fake.calls).toEqual([]);
      expect(consoleError).toHaveBeenCalledTimes(2);
    } finally {
      consoleError.mockRestore();
    }
  });

  test('when no app id is configured (Emulator mode), then the same activity reaches the engine', async () => {
    const fake = recordingEngine();

    const activities = await post(botApp({ engine: fake }), aMessage('hi'));

    expect(fake.calls[0]).toMatch(/^handle:bf-[0-9a-f]{40}$/);
    expect(fake.calls).toContain('start');
    expect(activities.map((a) => a.text)).toEqual(['Welcome.']);
  });
});

describe('Bot Framework channel: failures', () => {
  test('when the engine throws, then the safe fallback is sent and the error is logged without the message text', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const broken: BotEngine = {
      handle: () => Promise.reject(new Error('conversation store unavailable')),
      start: () => Promise.reject(new Error('conversation store unavailable')),
      interrupts: () => false,
      view: () => Promise.reject(new Error('conversation store unavailable')),
    };
    const brokenApp = botApp({ engine: broken, logger: createLogger('error', sink) });

    const activities = await post(brokenApp, aMessage('my secret symptoms'));

    expect(activities.map((a) => a.text)).toEqual([FALLBACK_TEXT]);
    const logged = lines.join('');
    expect(logged).toContain('Bot Framework turn failed; safe fallback sent');
    expect(logged).toContain('conversation store unavailable');
    expect(logged).not.toContain('my secret symptoms');
  });
});

describe('Bot Framework channel: normal delivery', () => {
  test('when an activity asks for no expectReplies, then the replies are posted to the connector at serviceUrl', async () => {
    const received: { conversation: string; replyTo: string; auth?: string; body: SentActivity }[] =
      [];
    const connector = express().use(express.json());
    connector.post('/v3/conversations/:conversation/activities/:activity', (req, res) => {
      received.push({
        conversation: req.params.conversation,
        replyTo: req.params.activity,
        ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
        body: req.body as SentActivity,
      });
      res.json({ id: `sent-${received.length}` });
    });
    const server = connector.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const activity = aMessage('hello', {
        conversationId: 'conv-normal-1',
        id: 'incoming-1',
        serviceUrl: `http://127.0.0.1:${port}`,
        delivery: 'normal',
      });

      const res = await request(app).post('/api/messages').send(activity);

      expect(res.status).toBe(200);
      expect(received).toHaveLength(2);
      expect(received.map((r) => [r.conversation, r.replyTo, r.auth])).toEqual([
        ['conv-normal-1', 'incoming-1', undefined],
        ['conv-normal-1', 'incoming-1', undefined],
      ]);
      expect(received[0]?.body.text).toContain('Welcome');
      expect(received[1]?.body.text).toMatch(CONSENT);
      expect(received[1]?.body.replyToId).toBe('incoming-1');
      expect(received[1]?.body.suggestedActions?.actions.map((a) => a.title)).toEqual([
        'Yes',
        'No',
        "I don't know",
      ]);
    } finally {
      server.close();
    }
  });
});
