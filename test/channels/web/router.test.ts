import request from 'supertest';
import { describe, expect, test } from 'vitest';
import type { Reply } from '../../../src/flows/index.js';
import { buildTestApp, HEADACHE_SELF_CARE, say, startChat, texts } from '../../helpers/app.js';

const { app } = buildTestApp();

describe('web chat API: starting', () => {
  test('when a conversation starts, then it says what the service is for and asks for consent', async () => {
    const { id, replies } = await startChat(app);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(replies[0]).toMatchObject({ kind: 'statement', expects: 'none' });
    expect(replies[0]?.text).toContain('not for emergencies');
    expect(replies[0]?.text).toContain('999');
    expect(replies[1]).toMatchObject({
      kind: 'question',
      expects: 'yes-no',
      options: [{ id: 'yes' }, { id: 'no' }, { id: 'unsure' }],
    });
  });

  test('when a resume code is unknown, then the answer is 404 with a reason', async () => {
    const res = await request(app)
      .post('/api/conversations')
      .send({ resumeCode: 'ABC123' })
      .expect(404);
    expect(res.body).toEqual({
      error: {
        code: 'not-found',
        message: 'No conversation has that resume code. Codes last as long as the conversation.',
      },
    });
  });

  test('when the start body has unknown fields, then the answer is 400', async () => {
    await request(app).post('/api/conversations').send({ hello: 1 }).expect(400);
  });
});

describe('web chat API: whole conversations', () => {
  test('when an adult with an ordinary headache answers every question, then the outcome is self-care with reasons and advice', async () => {
    const { id } = await startChat(app);
    const last = await say(app, id, ...HEADACHE_SELF_CARE);
    expect(last.ended).toBe(true);
    const outcome = last.replies.find((r) => r.kind === 'outcome');
    expect(outcome?.disposition).toMatchObject({ code: 'SELF_CARE', category: 'self-care' });
    expect(outcome?.disposition?.reasons[0]).toMatch(
      /You answered no to each of the \d+ questions about warning signs/,
    );
    expect(texts(last.replies)).toContain('What you can do now:');
    expect(texts(last.replies)).toContain('Get help sooner if things change:');
  });

  test('when options are chosen by id, then they work like typed answers', async () => {
    const { id } = await startChat(app);
    const last = await say(
      app,
      id,
      { optionId: 'yes' },
      { optionId: 'self' },
      'headache',
      { optionId: 'yes' },
      '40',
      { optionId: 'yes' },
    );
    expect(last.replies[0]).toMatchObject({ kind: 'emergency', disposition: { code: 'CALL_999' } });
  });

  test('when an emergency is typed during consent, then it interrupts with 999 at once', async () => {
    const { id } = await startChat(app);
    const turn = await say(app, id, 'my dad has collapsed and is not breathing');
    expect(turn.replies[0]).toMatchObject({
      kind: 'emergency',
      disposition: { code: 'CALL_999', category: 'emergency' },
    });
    expect(turn.replies[0]?.text).toContain('We cannot call 999 for you');
    const after = await say(app, id, 'what now?');
    expect(texts(after.replies)).toContain('Call 999 now');
  });

  test('when a negated symptom is typed, then it does not interrupt', async () => {
    const { id } = await startChat(app);
    const turn = await say(app, id, 'yes', 'me', 'headache but no chest pain');
    expect(turn.replies.some((r) => r.kind === 'emergency')).toBe(false);
  });

  test('when consent is refused, then the conversation carries on without a record', async () => {
    const { id } = await startChat(app);
    const turn = await say(app, id, 'no', 'me');
    expect(turn.replies[0]?.text).toBe('In a few words, what is the main problem today?');
  });

  test('when "back" is typed, then the last answer can be changed', async () => {
    const { id } = await startChat(app);
    await say(app, id, 'yes', 'me', 'headache', 'yes', '34', 'no');
    const back = await say(app, id, 'back');
    expect(texts(back.replies)).toContain('one side of the face dropped');
    const changed = await say(app, id, 'yes');
    expect(changed.replies[0]?.disposition?.code).toBe('CALL_999');
  });

  test('when "back" is typed after an outcome, then urgency already reached never drops', async () => {
    const { id } = await startChat(app);
    await say(app, id, 'yes', 'me', 'headache', 'yes', '34', 'yes');
    await say(app, id, 'back');
    const turn = await say(app, id, 'no', ...Array<string>(9).fill('no'), '1');
    const outcome = turn.replies.find((r) => r.disposition);
    expect(outcome?.disposition?.code).toBe('CALL_999');
    expect(outcome?.disposition?.reasons.join(' ')).toContain(
      'Earlier in this conversation you told us something more urgent',
    );
  });

  test('when "restart" is typed, then the problem is asked again', async () => {
    const { id } = await startChat(app);
    await say(app, id, 'yes', 'me', 'headache', 'yes');
    const turn = await say(app, id, 'restart');
    expect(texts(turn.replies)).toContain("OK, let's start again.");
    expect(texts(turn.replies)).toContain('what is the main problem today?');
  });

  test('when "help" is typed at a question, then its help text is shown', async () => {
    const { id } = await startChat(app);
    await say(app, id, 'yes', 'me', 'headache', 'yes', '34');
    const turn = await say(app, id, 'help');
    expect(texts(turn.replies)).toContain('signs of a stroke');
  });

  test('when "stop" is typed, then the conversation ends and later messages say so', async () => {
    const { id } = await startChat(app);
    const stopped = await say(app, id, 'stop');
    expect(stopped.ended).toBe(true);
    const later = await say(app, id, 'hello?');
    expect(later.status).toBe(200);
    expect(texts(later.replies)).toContain('This conversation has finished');
  });

  test('when an answer is not understood, then the question is asked again with a hint', async () => {
    const { id } = await startChat(app);
    await say(app, id, 'yes', 'me', 'headache', 'yes', '34');
    const turn = await say(app, id, 'purple');
    expect(turn.replies[0]?.text).toContain('Please answer yes or no');
    expect(turn.replies[1]?.kind).toBe('question');
  });

  test('when nothing matches the problem twice, then the general pathway asks the red-flag questions', async () => {
    const { id } = await startChat(app);
    const first = await say(app, id, 'yes', 'me', 'zzzz qqqq');
    expect(texts(first.replies)).toContain("I didn't recognise that");
    const second = await say(app, id, 'xyzzy plugh');
    expect(second.replies.at(-1)?.kind).toBe('question');
    expect(second.replies.at(-1)?.expects).toBe('yes-no');
  });

  test('when two problems are named, then a short list is offered', async () => {
    const { id } = await startChat(app);
    const turn = await say(app, id, 'yes', 'me', 'I have a headache and back pain');
    const ids = (turn.replies.at(-1)?.options ?? []).map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining(['headache', 'back-pain', 'none']));
  });

  test('when the pathway is for adults and the patient is 3, then another pathway is used', async () => {
    const { id } = await startChat(app);
    const turn = await say(app, id, 'yes', 'someone else', 'back pain', 'yes', '3');
    expect(texts(turn.replies)).toContain('not the right one for this age');
  });
});

describe('web chat API: reading and errors', () => {
  test('when a conversation is read back, then the transcript has both sides in order', async () => {
    const { id } = await startChat(app);
    await say(app, id, 'yes', 'me', 'headache');
    const res = await request(app).get(`/api/conversations/${id}`).expect(200);
    const body = res.body as { status: string; transcript: { from: string; text: string }[] };
    expect(body.status).toBe('active');
    expect(body.transcript.filter((t) => t.from === 'patient').map((t) => t.text)).toEqual([
      'yes',
      'me',
      'headache',
    ]);
    expect(body.transcript[0]?.from).toBe('service');
  });

  test('when the pathway has started, then the view names the pinned pathway and version', async () => {
    const { id } = await startChat(app);
    await say(app, id, 'yes', 'me', 'headache', 'yes', '30');
    const res = await request(app).get(`/api/conversations/${id}`).expect(200);
    expect(res.body).toMatchObject({ pathway: { id: 'headache', version: 1 } });
  });

  test.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000', { text: 'hi' }, 404, 'not-found'],
    ['a malformed id', 'not-an-id', { text: 'hi' }, 404, 'not-found'],
    ['an empty message', undefined, { text: '   ' }, 400, 'invalid-input'],
    ['neither text nor option', undefined, {}, 400, 'invalid-input'],
    ['unknown fields', undefined, { text: 'hi', extra: true }, 400, 'invalid-input'],
    ['text over 1,000 characters', undefined, { text: 'a'.repeat(1001) }, 413, 'payload-too-large'],
  ])('when a message has %s, then the answer is %i', async (_what, fixedId, body, status, code) => {
    const id = fixedId ?? (await startChat(app)).id;
    const res = await request(app)
      .post(`/api/conversations/${id}/messages`)
      .send(body)
      .expect(status);
    expect((res.body as { error: { code: string; message: string } }).error).toMatchObject({
      code,
      message: expect.any(String) as unknown,
    });
  });

  test('when the body is not JSON, then the answer is 400, not a stack trace', async () => {
    const { id } = await startChat(app);
    const res = await request(app)
      .post(`/api/conversations/${id}/messages`)
      .set('content-type', 'application/json')
      .send('{"text": ')
      .expect(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .+\.js/);
  });

  test('when a body is far too large, then the answer is 413', async () => {
    const { id } = await startChat(app);
    await request(app)
      .post(`/api/conversations/${id}/messages`)
      .send({ text: 'a'.repeat(20_000) })
      .expect(413);
  });

  test('when the same Idempotency-Key is sent twice, then the second gets the same replies and nothing is applied twice', async () => {
    const { id } = await startChat(app);
    const first = await request(app)
      .post(`/api/conversations/${id}/messages`)
      .set('Idempotency-Key', 'k-1')
      .send({ text: 'yes' })
      .expect(200);
    const again = await request(app)
      .post(`/api/conversations/${id}/messages`)
      .set('Idempotency-Key', 'k-1')
      .send({ text: 'yes' })
      .expect(200);
    expect((again.body as { replies: Reply[] }).replies).toEqual(
      (first.body as { replies: Reply[] }).replies,
    );
    const view = await request(app).get(`/api/conversations/${id}`).expect(200);
    expect(
      (view.body as { transcript: { from: string }[] }).transcript.filter(
        (t) => t.from === 'patient',
      ),
    ).toHaveLength(1);
  });
});
