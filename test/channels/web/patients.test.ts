import request from 'supertest';
import { describe, expect, test } from 'vitest';
import { buildTestApp, say, startChat, texts } from '../../helpers/app.js';

const NHS = '943 476 5919';
const DOB = '14 3 1985';
const TOKEN = 'staff-token-for-tests-0123456789';
/** Headache: severe and getting worse (GP_6H) for a patient whose age is known. */
const HEADACHE_SEVERE = ['no', 'no', 'no', 'no', 'no', 'no', 'no', 'yes'];

describe('patients the service remembers', () => {
  test('when a patient gives NHS number and date of birth, then the age is not asked again', async () => {
    const { app } = buildTestApp();
    const { id } = await startChat(app);
    const asked = await say(app, id, 'yes', 'me');
    expect(texts(asked.replies)).toContain('10-digit NHS number');
    await say(app, id, NHS);
    const found = await say(app, id, DOB);
    expect(texts(found.replies)).toContain('we have found your record');
    const confirm = await say(app, id, 'headache', 'yes');
    expect(texts(confirm.replies)).not.toContain('How old are you?');
    expect(texts(confirm.replies)).toContain('one side of the face dropped');
  });

  test('when a patient comes back about the same problem within 72 hours, then they are recognised and urgency goes up one step, with the reason', async () => {
    const { app } = buildTestApp();
    const first = await startChat(app);
    const firstEnd = await say(
      app,
      first.id,
      'yes',
      'me',
      NHS,
      DOB,
      'headache',
      'yes',
      ...HEADACHE_SEVERE,
    );
    expect(firstEnd.replies.find((r) => r.disposition)?.disposition?.code).toBe('GP_6H');

    const second = await startChat(app);
    const welcome = await say(app, second.id, 'yes', 'me', NHS, DOB);
    expect(texts(welcome.replies)).toContain(
      'Welcome back. Last time, today, you told us about: Headache. Is this about the same problem?',
    );
    const end = await say(app, second.id, 'yes', ...HEADACHE_SEVERE);
    const outcome = end.replies.find((r) => r.disposition)?.disposition;
    expect(outcome?.code).toBe('GP_2H');
    expect(outcome?.reasons.at(-1)).toBe(
      'You contacted us about the same problem today, so we have raised the urgency.',
    );
  });

  test('when the record says fast-track, then urgency goes up one step and says why', async () => {
    const built = buildTestApp();
    const found = await built.crm.identifyByNhsNumber(NHS, '1985-03-14');
    if (!found.ok) {
      throw new Error('identify failed');
    }
    await built.crm.setFlag(found.patient.id, 'fastTrack', true);
    const { id } = await startChat(built.app);
    const end = await say(
      built.app,
      id,
      'yes',
      'me',
      NHS,
      DOB,
      'headache',
      'yes',
      ...HEADACHE_SEVERE,
    );
    const outcome = end.replies.find((r) => r.disposition)?.disposition;
    expect(outcome?.code).toBe('GP_2H');
    expect(outcome?.reasons).toContain(
      'Your record says you should be seen sooner, so we have raised the urgency.',
    );
  });

  test('when consent is refused, then no NHS number is asked for and nothing is kept', async () => {
    const built = buildTestApp();
    const { id } = await startChat(built.app);
    const turn = await say(built.app, id, 'no', 'me');
    expect(texts(turn.replies)).not.toContain('NHS number');
    await say(built.app, id, 'headache', 'yes', '40', ...Array<string>(10).fill('no'), '1');
    const found = await built.crm.identifyByNhsNumber(NHS, '1985-03-14');
    expect(found.ok && found.created).toBe(true);
  });

  test('when the NHS number fails its check digit, then the patient is told how to fix it', async () => {
    const { app } = buildTestApp();
    const { id } = await startChat(app);
    const turn = await say(app, id, 'yes', 'me', '943 476 5918');
    expect(texts(turn.replies)).toContain("doesn't look like a valid NHS number");
  });

  test('when the date of birth does not match the record, then nothing about the record is revealed', async () => {
    const built = buildTestApp();
    await built.crm.identifyByNhsNumber(NHS, '1985-03-14');
    const { id } = await startChat(built.app);
    const turn = await say(built.app, id, 'yes', 'me', NHS, '15 3 1985');
    expect(texts(turn.replies)).toContain("We couldn't match those details");
    expect(texts(turn.replies)).not.toContain('Welcome back');
  });

  test('when the patient types their problem instead of an NHS number, then it is used as the problem', async () => {
    const { app } = buildTestApp();
    const { id } = await startChat(app);
    const turn = await say(app, id, 'yes', 'me', 'I have a bad headache');
    expect(texts(turn.replies)).toContain('It sounds like this is about: Headache');
  });
});

describe('staff API', () => {
  test('when staff read a patient, then profile and history come back; when they erase, later reads are 404', async () => {
    const built = buildTestApp({ env: { STAFF_API_TOKEN: TOKEN } });
    const { id } = await startChat(built.app);
    await say(built.app, id, 'yes', 'me', NHS, DOB, 'headache', 'yes', ...HEADACHE_SEVERE);
    const found = await built.crm.identifyByNhsNumber(NHS, '1985-03-14');
    const patientId = found.ok ? found.patient.id : '';

    const auth = { Authorization: `Bearer ${TOKEN}` };
    const read = await request(built.app)
      .get(`/api/staff/patients/${patientId}`)
      .set(auth)
      .expect(200);
    const body = read.body as {
      profile: { nhsNumber: string };
      history: { channel: string; disposition: { code: string } }[];
    };
    expect(body.profile.nhsNumber).toBe('9434765919');
    expect(body.history).toEqual([
      expect.objectContaining({
        channel: 'web',
        disposition: expect.objectContaining({ code: 'GP_6H' }) as unknown,
      }),
    ]);

    await request(built.app).delete(`/api/staff/patients/${patientId}`).set(auth).expect(204);
    await request(built.app).get(`/api/staff/patients/${patientId}`).set(auth).expect(404);
    await request(built.app).delete(`/api/staff/patients/${patientId}`).set(auth).expect(404);
  });

  test.each([
    ['no token', {}, 401],
    ['a wrong token', { Authorization: 'Bearer not-the-right-token-at-all' }, 403],
  ])('when a request has %s, then it is refused with %i', async (_what, headers, status) => {
    const { app } = buildTestApp({ env: { STAFF_API_TOKEN: TOKEN } });
    const res = await request(app).get('/api/staff/patients/anyone').set(headers).expect(status);
    expect((res.body as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
  });

  test('when no staff token is configured, then the staff routes are off', async () => {
    const { app } = buildTestApp();
    await request(app)
      .get('/api/staff/patients/anyone')
      .set({ Authorization: `Bearer ${TOKEN}` })
      .expect(404);
  });
});
