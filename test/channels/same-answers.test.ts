import request from 'supertest';
import twilio from 'twilio';
import { describe, expect, test } from 'vitest';
import type { Reply } from '../../src/flows/index.js';
import { buildTestApp, say, startChat } from '../helpers/app.js';

/**
 * One clinical journey, three channels: the same answers typed on the web, texted by SMS and
 * spoken on a call reach the same disposition. Twilio requests are signed as Twilio signs them.
 */

const TOKEN = 'test-auth-token-0123456789';
const BASE = 'https://digital-111.example';
const built = buildTestApp({ env: { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: BASE } });
const { app } = built;

async function signedPost(path: string, params: Record<string, string>): Promise<string> {
  const signature = twilio.getExpectedTwilioSignature(TOKEN, `${BASE}${path}`, params);
  const res = await request(app)
    .post(path)
    .type('form')
    .set('X-Twilio-Signature', signature)
    .send(params)
    .expect(200);
  expect(res.headers['content-type']).toMatch(/xml/);
  return res.text;
}

function elements(twiml: string, name: string): string[] {
  return [...twiml.matchAll(new RegExp(`<${name}[^>]*>([\\s\\S]*?)</${name}>`, 'g'))].map((m) =>
    (m[1] ?? '')
      .replace(/&apos;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&'),
  );
}

const journeys = {
  'self-care': {
    answers: ['no', 'me', 'headache', 'yes', '34', ...Array<string>(10).fill('no'), '2'],
    label: 'Look after yourself at home',
    code: 'SELF_CARE',
  },
  '999': {
    answers: ['no', 'me', 'headache', 'yes', '34', 'yes'],
    label: 'Call 999 now',
    code: 'CALL_999',
  },
};

describe.each(Object.entries(journeys))('the %s journey on every channel', (_name, journey) => {
  test('when the answers are typed on the web, then the disposition is reached', async () => {
    const { id } = await startChat(app);
    const last = await say(app, id, ...journey.answers);
    const outcome: Reply | undefined = last.replies.find((r) => r.disposition);
    expect(outcome?.disposition?.code).toBe(journey.code);
    expect(outcome?.text).toContain(journey.label);
  });

  test('when the same answers are texted, then the SMS reaches the same disposition', async () => {
    const from = `+4477009${String(Math.floor(Math.random() * 90000) + 10000)}`;
    await signedPost('/twilio/sms', {
      From: from,
      To: '+447700900000',
      Body: 'hello',
      MessageSid: `SM${Date.now()}a`,
    });
    let twiml = '';
    for (const [i, body] of journey.answers.entries()) {
      twiml = await signedPost('/twilio/sms', {
        From: from,
        To: '+447700900000',
        Body: body,
        MessageSid: `SM${Date.now()}${i}`,
      });
    }
    expect(elements(twiml, 'Message').join(' ')).toContain(journey.label);
  });

  test('when the same answers are spoken, then the call reaches the same disposition', async () => {
    const callSid = `CA${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const from = `+4477009${String(Math.floor(Math.random() * 90000) + 10000)}`;
    let twiml = await signedPost('/twilio/voice', { CallSid: callSid, From: from });
    for (const speech of journey.answers) {
      const action = /<Gather[^>]*action="([^"]+)"/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');
      expect(action, twiml).toBeDefined();
      const path = action!.startsWith('http')
        ? new URL(action!).pathname + new URL(action!).search
        : action!;
      twiml = await signedPost(path, {
        CallSid: callSid,
        From: from,
        SpeechResult: speech,
        Confidence: '0.93',
      });
    }
    expect(elements(twiml, 'Say').join(' ')).toContain(journey.label);
  });
});
