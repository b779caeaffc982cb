import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { continueBySmsRouter, continueText } from '../../../src/channels/sms/continue.js';
import { createTwilioMessenger } from '../../../src/channels/sms/outbound.js';
import { smsRouter } from '../../../src/channels/sms/router.js';
import type { ConversationEngine } from '../../../src/flows/index.js';
import { buildTestApp, say, startChat, testConfig } from '../../helpers/app.js';
import { startFakeTwilio, type FakeTwilio } from '../../helpers/fake-twilio.js';
import {
  AUTH_TOKEN,
  aMobile,
  capturingLogger,
  PUBLIC_BASE_URL,
  sms,
  WELCOME_START,
  type LogLine,
} from './sms-helpers.js';

const FROM_NUMBER = '+447700900000';
const NHS_NUMBER_PROMPT = 'type your 10-digit NHS number';
const PROBLEM = 'In a few words, what is the main problem today?';

let fake: FakeTwilio;
beforeAll(async () => {
  // One token for both directions, as with a real Twilio account: it signs webhooks and
  // authenticates REST calls.
  fake = await startFakeTwilio({ authToken: AUTH_TOKEN });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

interface Harness {
  /** The web chat API of the real app. */
  web: express.Express;
  /** The continue-by-sms route and the SMS webhook, on the same engine. */
  app: express.Express;
  engine: ConversationEngine;
  logs: LogLine[];
}

function harness(options: { outbound?: boolean } = {}): Harness {
  const env: Record<string, string> = {
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    PUBLIC_BASE_URL,
    ...(options.outbound === false
      ? {}
      : {
          TWILIO_ACCOUNT_SID: fake.accountSid,
          TWILIO_FROM_NUMBER: FROM_NUMBER,
          TWILIO_API_BASE_URL: fake.url,
        }),
  };
  const built = buildTestApp({ env });
  const config = testConfig(env);
  const { logger, lines } = capturingLogger();
  const messenger = createTwilioMessenger({
    twilio: config.twilio,
    logger,
    isOptedOut: (phone) => built.engine.isSmsOptedOut(phone),
  });
  const app = express();
  app.use(
    continueBySmsRouter({ engine: built.engine, messenger, publicBaseUrl: config.publicBaseUrl }),
  );
  app.use(
    smsRouter({
      engine: built.engine,
      twilio: config.twilio,
      publicBaseUrl: config.publicBaseUrl,
      logger,
    }),
  );
  return { web: built.app, app, engine: built.engine, logs: lines };
}

/** A web conversation that has consented and said it is about the patient: the NHS number prompt. */
async function aWebConversation(web: express.Express): Promise<string> {
  const { id } = await startChat(web);
  const turn = await say(web, id, 'yes', 'me');
  expect(turn.replies.map((r) => r.text).join(' ')).toContain(NHS_NUMBER_PROMPT);
  return id;
}

function continueBySms(app: express.Express, id: string, body: unknown): request.Test {
  return request(app)
    .post(`/api/conversations/${id}/continue-by-sms`)
    .send(body as object);
}

describe('continue by SMS', () => {
  test('when a web patient asks to continue by text, then the link is texted and their next SMS continues the same conversation', async () => {
    const { web, app, engine } = harness();
    const id = await aWebConversation(web);

    const res = await continueBySms(app, id, { phone: '07700 900456' }).expect(200);
    expect(res.body).toEqual({ sent: true });

    // The link went out through Twilio's API, to the number in E.164, from our number.
    const [link, question] = fake.requests;
    expect(link?.authorised).toBe(true);
    expect(link?.form.To).toBe('+447700900456');
    expect(link?.form.From).toBe(FROM_NUMBER);
    const code = /\/\?resume=([A-Z0-9]+)$/.exec(link?.form.Body ?? '')?.[1] ?? '';
    expect(link?.form.Body).toBe(continueText(`${PUBLIC_BASE_URL}/?resume=${code}`));
    // Then where they were, so they know what to reply to.
    expect(question?.form.Body).toContain("Let's carry on where we were.");
    expect(question?.form.Body).toContain(NHS_NUMBER_PROMPT);

    // Their next text answers the question they were on, in the same conversation.
    const next = await sms(app, '+447700900456', 'skip');
    expect(next.text).not.toContain(WELCOME_START);
    expect(next.text).toContain(PROBLEM);
    const view = await engine.view(id);
    expect(view?.transcript.filter((e) => e.from === 'patient').map((e) => e.text)).toEqual([
      'yes',
      'me',
      'skip',
    ]);

    // The texted link also works on the web.
    const resumed = await request(web)
      .post('/api/conversations')
      .send({ resumeCode: code })
      .expect(201);
    expect((resumed.body as { conversationId: string }).conversationId).toBe(id);
  });

  test('when the conversation does not exist, then 404 and nothing is sent', async () => {
    const { app } = harness();
    const res = await continueBySms(app, '00000000-0000-4000-8000-000000000000', {
      phone: '07700900456',
    }).expect(404);
    expect(res.body).toMatchObject({ error: { code: 'not-found' } });
    await continueBySms(app, 'not-an-id', { phone: '07700900456' }).expect(404);
    expect(fake.requests).toHaveLength(0);
  });

  test.each([
    ['a landline', { phone: '020 7946 0000' }],
    ['letters', { phone: 'call me' }],
    ['no phone', {}],
    ['extra fields', { phone: '07700900456', name: 'Sam' }],
  ])('when the body has %s, then 400 with a reason and nothing is sent', async (_name, body) => {
    const { web, app } = harness();
    const id = await aWebConversation(web);
    const res = await continueBySms(app, id, body).expect(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid-input' } });
    expect((res.body as { error: { message: string } }).error.message).toMatch(/UK mobile|number/);
    expect(fake.requests).toHaveLength(0);
  });

  test('when outbound SMS is not configured, then 503 says so and the number is not tied to the conversation', async () => {
    const { web, app, logs } = harness({ outbound: false });
    const id = await aWebConversation(web);
    const phone = aMobile();
    const res = await continueBySms(app, id, { phone }).expect(503);
    expect(res.body).toMatchObject({ error: { code: 'not-configured' } });
    expect((res.body as { error: { message: string } }).error.message).toContain('not set up');
    expect(logs.map((l) => l.msg)).toContain('outbound SMS not sent: Twilio is not configured');
    expect(fake.requests).toHaveLength(0);
    // A text from that number starts its own conversation.
    expect((await sms(app, phone, 'hello')).text).toContain(WELCOME_START);
  });

  test('when the number has opted out by STOP, then 409 and nothing is sent', async () => {
    const { web, app } = harness();
    const id = await aWebConversation(web);
    const phone = aMobile();
    await sms(app, phone, 'STOP');
    const res = await continueBySms(app, id, { phone }).expect(409);
    expect(res.body).toMatchObject({ error: { code: 'opted-out' } });
    expect(fake.requests).toHaveLength(0);
  });

  test('when Twilio fails, then 502 and the number is not tied to the conversation', async () => {
    const { web, app } = harness();
    const id = await aWebConversation(web);
    const phone = aMobile();
    fake.failNext({ status: 500, code: 20500 });
    const res = await continueBySms(app, id, { phone }).expect(502);
    expect(res.body).toMatchObject({ error: { code: 'unavailable' } });
    expect(fake.requests).toHaveLength(1);
    expect((await sms(app, phone, 'hello')).text).toContain(WELCOME_START);
  });
});
