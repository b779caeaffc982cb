import express from 'express';
import request from 'supertest';
import twilio from 'twilio';
import { describe, expect, test } from 'vitest';
import { twilioWebhook } from '../../../src/channels/twilio-signature.js';
import {
  AUTH_TOKEN,
  aMobile,
  buildSmsApp,
  capturingLogger,
  postSms,
  PUBLIC_BASE_URL,
  sms,
  WELCOME_START,
} from './sms-helpers.js';

/** A bare app behind the check that counts the requests that got through. */
function guarded(options: Parameters<typeof twilioWebhook>[0]): {
  app: express.Express;
  reached: Record<string, string>[];
} {
  const reached: Record<string, string>[] = [];
  const app = express();
  app.post('/hook', ...twilioWebhook(options), (req, res) => {
    reached.push(req.body as Record<string, string>);
    res.type('text/xml').send('<Response/>');
  });
  return { app, reached };
}

const PARAMS = { From: '+447700900001', Body: 'hello', MessageSid: 'SM1' };

describe('twilioWebhook', () => {
  test("when the signature is Twilio's for the public URL, path and query, then the handler runs with the parsed form", async () => {
    const { app, reached } = guarded({
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE_URL,
      validate: true,
    });
    const signature = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      `${PUBLIC_BASE_URL}/hook?attempt=2`,
      PARAMS,
    );
    await request(app)
      .post('/hook?attempt=2')
      .type('form')
      .set('X-Twilio-Signature', signature)
      .send(PARAMS)
      .expect(200);
    expect(reached).toEqual([PARAMS]);
  });

  test('when the signature was made for the Host we are reached on instead of the public URL, then it is refused with 403', async () => {
    const { app, reached } = guarded({
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE_URL,
      validate: true,
    });
    const signature = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      'http://127.0.0.1/hook',
      PARAMS,
    );
    await request(app)
      .post('/hook')
      .type('form')
      .set('X-Twilio-Signature', signature)
      .send(PARAMS)
      .expect(403);
    expect(reached).toEqual([]);
  });

  test('when a parameter was changed after signing, then it is refused with 403', async () => {
    const { app, reached } = guarded({
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE_URL,
      validate: true,
    });
    const signature = twilio.getExpectedTwilioSignature(
      AUTH_TOKEN,
      `${PUBLIC_BASE_URL}/hook`,
      PARAMS,
    );
    await request(app)
      .post('/hook')
      .type('form')
      .set('X-Twilio-Signature', signature)
      .send({ ...PARAMS, Body: 'something else' })
      .expect(403);
    expect(reached).toEqual([]);
  });

  test('when there is no signature, then it is refused with 400', async () => {
    const { app, reached } = guarded({
      authToken: AUTH_TOKEN,
      publicBaseUrl: PUBLIC_BASE_URL,
      validate: true,
    });
    const res = await request(app).post('/hook').type('form').send(PARAMS).expect(400);
    expect(res.text).toContain('X-Twilio-Signature');
    expect(reached).toEqual([]);
  });

  test('when checks are switched off for local work, then unsigned requests pass', async () => {
    const { app, reached } = guarded({ publicBaseUrl: PUBLIC_BASE_URL, validate: false });
    await request(app).post('/hook').type('form').send(PARAMS).expect(200);
    expect(reached).toHaveLength(1);
  });

  test('when checks are on but no auth token is configured, then every request is refused with 403 and logged', async () => {
    const { logger, lines } = capturingLogger();
    const { app, reached } = guarded({ publicBaseUrl: PUBLIC_BASE_URL, validate: true, logger });
    const signature = twilio.getExpectedTwilioSignature('', `${PUBLIC_BASE_URL}/hook`, PARAMS);
    await request(app)
      .post('/hook')
      .type('form')
      .set('X-Twilio-Signature', signature)
      .send(PARAMS)
      .expect(403);
    expect(reached).toEqual([]);
    expect(lines.some((l) => l.msg.includes('TWILIO_AUTH_TOKEN is not set'))).toBe(true);
  });
});

describe('SMS webhook signatures', () => {
  test('when a signed message arrives, then it is answered with TwiML and starts a conversation', async () => {
    const { app } = buildSmsApp();
    const turn = await sms(app, aMobile(), 'hello');
    expect(turn.text).toContain(WELCOME_START);
  });

  test('when a forged message arrives, then it is refused with 403 and no conversation starts', async () => {
    const { app } = buildSmsApp();
    const from = aMobile();
    const res = await postSms(app, { From: from, Body: 'yes' }, 'forged');
    expect(res.status).toBe(403);
    expect(res.text).not.toContain('<Message>');
    // Had the forged message started a conversation, this one would answer its consent question.
    const next = await sms(app, from, 'hello');
    expect(next.text).toContain(WELCOME_START);
  });

  test('when a message has no signature, then it is refused with 400 and no conversation starts', async () => {
    const { app } = buildSmsApp();
    const from = aMobile();
    const res = await postSms(app, { From: from, Body: 'yes' }, 'missing');
    expect(res.status).toBe(400);
    const next = await sms(app, from, 'hello');
    expect(next.text).toContain(WELCOME_START);
  });

  test('when a forged STOP arrives, then the number is not opted out', async () => {
    const { app, engine } = buildSmsApp();
    const from = aMobile();
    await postSms(app, { From: from, Body: 'STOP' }, 'forged').expect(403);
    expect(await engine.isSmsOptedOut(from)).toBe(false);
  });

  test('when validation is on and the token is missing from config, then the SMS route refuses and logs', async () => {
    const { app, logs } = buildSmsApp({ withoutToken: true });
    const res = await postSms(app, { From: aMobile(), Body: 'hello' });
    expect(res.status).toBe(403);
    expect(logs.some((l) => l.level >= 50 && l.msg.includes('TWILIO_AUTH_TOKEN'))).toBe(true);
  });
});
