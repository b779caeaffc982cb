import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createTwilioMessenger } from '../../../src/channels/sms/outbound.js';
import type { Config } from '../../../src/config.js';
import { startFakeTwilio, type FakeTwilio } from '../../helpers/fake-twilio.js';
import { capturingLogger, type LogLine } from './sms-helpers.js';

const FROM = '+447700900000';
const TO = '+447700900321';

let fake: FakeTwilio;
beforeAll(async () => {
  fake = await startFakeTwilio();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

function configured(overrides: Partial<Config['twilio']> = {}): Config['twilio'] {
  return {
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    fromNumber: FROM,
    apiBaseUrl: fake.url,
    validate: true,
    ...overrides,
  };
}

function aMessenger(
  twilio: Config['twilio'],
  optedOut: string[] = [],
): { messenger: ReturnType<typeof createTwilioMessenger>; logs: LogLine[] } {
  const { logger, lines } = capturingLogger();
  const messenger = createTwilioMessenger({
    twilio,
    logger,
    isOptedOut: (phone) => Promise.resolve(optedOut.includes(phone)),
  });
  return { messenger, logs: lines };
}

describe('createTwilioMessenger', () => {
  test('when Twilio is configured, then one authenticated Messages.json request with To, From and Body goes to the API base URL', async () => {
    const { messenger } = aMessenger(configured());
    const result = await messenger.sendSms(
      TO,
      'Your link: https://111.example.nhs.uk/?resume=ABC123',
    );
    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`,
      accountSid: fake.accountSid,
      authorised: true,
    });
    expect(req?.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req?.form).toEqual({
      To: TO,
      From: FROM,
      Body: 'Your link: https://111.example.nhs.uk/?resume=ABC123',
    });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.id).toMatch(/^SM[0-9a-f]{32}$/);
  });

  test('when the body has curly quotes, dashes and an ellipsis, then what is sent is GSM-7', async () => {
    const { messenger } = aMessenger(configured());
    await messenger.sendSms(TO, 'It’s “fine” – really…');
    expect(fake.requests[0]?.form.Body).toBe('It\'s "fine" - really...');
  });

  test('when the sender is a messaging service SID, then it is sent as MessagingServiceSid', async () => {
    const sid = `MG${'1'.repeat(32)}`;
    const { messenger } = aMessenger(configured({ fromNumber: sid }));
    await messenger.sendSms(TO, 'Hello');
    expect(fake.requests[0]?.form).toEqual({ To: TO, MessagingServiceSid: sid, Body: 'Hello' });
  });

  test('when there are no Twilio credentials, then nothing is sent and the log says Twilio is not configured', async () => {
    const { messenger, logs } = aMessenger({ validate: true, apiBaseUrl: fake.url });
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'not-configured' });
    expect(fake.requests).toHaveLength(0);
    expect(logs.map((l) => l.msg)).toContain('outbound SMS not sent: Twilio is not configured');
  });

  test('when the from number is missing, then it counts as not configured', async () => {
    const { messenger } = aMessenger(configured({ fromNumber: undefined }));
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'not-configured' });
    expect(fake.requests).toHaveLength(0);
  });

  test('when the number has opted out, then nothing is sent', async () => {
    const { messenger } = aMessenger(configured(), [TO]);
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'opted-out' });
    expect(fake.requests).toHaveLength(0);
  });

  test('when the opt-out status cannot be read, then nothing is sent', async () => {
    const { logger } = capturingLogger();
    const messenger = createTwilioMessenger({
      twilio: configured(),
      logger,
      isOptedOut: () => Promise.reject(new Error('crm down')),
    });
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'failed' });
    expect(fake.requests).toHaveLength(0);
  });

  test.each(['07700900321', '+44 7700 900321', 'hello', ''])(
    'when the number %j is not E.164, then it is refused without a request',
    async (to) => {
      const { messenger } = aMessenger(configured());
      expect(await messenger.sendSms(to, 'Hello')).toEqual({ ok: false, reason: 'invalid-number' });
      expect(fake.requests).toHaveLength(0);
    },
  );

  test('when Twilio answers 500, then the result is failed and the log holds the code, not the number', async () => {
    fake.failNext({ status: 500, code: 20500 });
    const { messenger, logs } = aMessenger(configured());
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'failed' });
    expect(fake.requests).toHaveLength(1);
    const line = logs.find((l) => l.msg === 'outbound SMS failed');
    expect(line).toMatchObject({ code: 20500 });
    expect(JSON.stringify(logs)).not.toContain(TO);
  });

  test('when Twilio says the To number is invalid, then the result is invalid-number', async () => {
    fake.failNext({
      status: 400,
      code: 21211,
      message: "The 'To' number is not a valid phone number.",
    });
    const { messenger } = aMessenger(configured());
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'invalid-number' });
  });

  test('when Twilio says the recipient unsubscribed, then the result is opted-out', async () => {
    fake.failNext({
      status: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });
    const { messenger } = aMessenger(configured());
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'opted-out' });
  });

  test('when the auth token is wrong, then Twilio refuses it and the result is failed', async () => {
    const { messenger } = aMessenger(configured({ authToken: 'wrong' }));
    expect(await messenger.sendSms(TO, 'Hello')).toEqual({ ok: false, reason: 'failed' });
    expect(fake.requests[0]?.authorised).toBe(false);
  });
});
