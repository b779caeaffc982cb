import { describe, expect, test } from 'vitest';
import { FALLBACK_TEXT, type Reply } from '../../../src/flows/index.js';
import {
  answerInstructions,
  HANG_UP_AND_DIAL_999,
  hintsFor,
  renderDialResult,
  renderFallback,
  renderHandoff,
  renderSilence,
  renderTurn,
  renderWhisper,
  spoken,
  type TurnContext,
} from '../../../src/channels/voice/render.js';
import { parseCallState } from '../../../src/channels/voice/parse.js';
import {
  findAll,
  only,
  parseTwiml,
  queryOf,
  spokenText,
  verbs,
  type TwimlElement,
} from './twiml.js';

const ID = 'c0ffee00-0000-4000-8000-000000000001';

function ctx(overrides: Partial<TurnContext> = {}): TurnContext {
  return { nextTurn: 4, replyTurn: 3, conversationId: ID, status: 'active', ...overrides };
}

const yesNo = (text: string, extra: Partial<Reply> = {}): Reply => ({
  kind: 'question',
  text,
  expects: 'yes-no',
  options: [
    { id: 'yes', label: 'Yes' },
    { id: 'no', label: 'No' },
    { id: 'unsure', label: "I don't know" },
  ],
  ...extra,
});
const statement = (text: string): Reply => ({ kind: 'statement', text, expects: 'none' });

/** Every <Say> is in the British English voice. */
function expectBritishVoice(root: TwimlElement): void {
  const says = findAll(root, 'Say');
  expect(says.length).toBeGreaterThan(0);
  for (const s of says) {
    expect(s.attributes).toEqual({ voice: 'Polly.Amy', language: 'en-GB' });
  }
}

describe('voice render: questions', () => {
  test('when a yes-or-no question has a voice wording, then it is said inside a speech and keypad Gather with its options', () => {
    const root = parseTwiml(
      renderTurn(
        [statement('Welcome.'), yesNo('A long written question?', { voice: 'Short?' })],
        ctx(),
      ),
    );
    expect(verbs(root)).toEqual(['Say', 'Gather']);
    expect(root.children[0]?.text).toBe('Welcome.');
    const gather = only(root, 'Gather');
    expect(gather.attributes).toMatchObject({
      input: 'speech dtmf',
      language: 'en-GB',
      speechTimeout: 'auto',
      actionOnEmptyResult: 'true',
      finishOnKey: '#',
      numDigits: '1',
      hints: "Yes, No, I don't know",
      method: 'POST',
    });
    expect(verbs(gather)).toEqual(['Say']);
    expect(gather.children[0]?.text).toBe(
      "Short? Say yes or press 1, say no or press 2, say I don't know or press 3.",
    );
    expect(spokenText(root)).not.toContain('A long written question');
    expectBritishVoice(root);
    const action = gather.attributes.action ?? '';
    expect(action.startsWith('/twilio/voice?')).toBe(true);
    expect(queryOf(action)).toMatchObject({ t: '4', c: ID, e: 'yes-no', o: 'yes,no,unsure' });
    expect(parseCallState(queryOf(action)).prompt).toBe(gather.children[0]?.text);
  });

  test('when a choice has synonyms, then they are speech hints too', () => {
    expect(
      hintsFor([
        { id: 'self', label: 'Me', synonyms: ['myself'] },
        { id: 'other', label: 'Someone else', synonyms: ['my child, my baby'] },
      ]),
    ).toBe('Me, myself, Someone else, my child my baby');
  });

  test('when a number is asked, then the keypad is explained (hash to finish, star for a decimal point) and one key does not end it', () => {
    const reply: Reply = {
      kind: 'question',
      text: 'What is your temperature?',
      expects: 'number',
      options: [{ id: 'unsure', label: "I don't know" }],
    };
    expect(answerInstructions(reply)).toMatch(/hash key.*star/);
    const gather = only(parseTwiml(renderTurn([reply], ctx())), 'Gather');
    expect(gather.attributes.finishOnKey).toBe('#');
    expect(gather.attributes.numDigits).toBeUndefined();
    expect(queryOf(gather.attributes.action ?? '')).toMatchObject({ e: 'number', o: 'unsure' });
  });

  test('when the voice wording already says how to key the number in, then it is not said twice', () => {
    const reply: Reply = {
      kind: 'question',
      text: 'How many days have you had this pain?',
      voice: 'How many days? Key in the number of days, then press hash.',
      expects: 'number',
      options: [{ id: 'unsure', label: "I don't know" }],
    };
    const gather = only(parseTwiml(renderTurn([reply], ctx())), 'Gather');
    expect(gather.children[0]?.text).toBe(
      "How many days? Key in the number of days, then press hash. If you don't know, say so.",
    );
  });

  test('when free text is asked, then there are no keypad options and no hints', () => {
    const reply: Reply = { kind: 'question', text: 'What is the main problem?', expects: 'text' };
    const gather = only(parseTwiml(renderTurn([reply], ctx())), 'Gather');
    expect(gather.attributes.hints).toBeUndefined();
    expect(gather.attributes.numDigits).toBeUndefined();
    expect(gather.children[0]?.text).toBe('What is the main problem?');
  });

  test('when the first prompt of a call is rendered with a hand-off number, then it says how to reach a person', () => {
    const root = parseTwiml(
      renderTurn([yesNo('Can we keep a record?')], ctx({ handoffTip: true })),
    );
    expect(verbs(root)).toEqual(['Say', 'Gather']);
    expect(root.children[0]?.text).toMatch(/say operator or press 0/);
  });

  test('when written wording says to type, then the caller is told to say it instead', () => {
    expect(spoken('Type "restart" to start again, or type back.')).toBe(
      'Say "restart" to start again, or say back.',
    );
  });

  test('when replies ask no question (help), then they are said and the previous question asked again', () => {
    const previous = parseCallState({
      t: '3',
      e: 'yes-no',
      o: 'yes,no',
      p: 'Is it hot?',
      h: 'Yes',
    });
    const root = parseTwiml(
      renderTurn([statement('Answer in your own words.')], ctx({ previous })),
    );
    expect(verbs(root)).toEqual(['Say', 'Gather']);
    const gather = only(root, 'Gather');
    expect(gather.children[0]?.text).toBe('Is it hot?');
    expect(queryOf(gather.attributes.action ?? '')).toMatchObject({
      t: '4',
      o: 'yes,no',
      e: 'yes-no',
    });
  });
});

describe('voice render: endings', () => {
  const emergency: Reply = {
    kind: 'emergency',
    text: 'Call 999 now. This could be a stroke.',
    expects: 'none',
    disposition: {
      code: 'CALL_999',
      category: 'emergency',
      rank: 1,
      service: 'ambulance',
      label: 'Call 999 now',
      reasons: ['You told us about: stroke.'],
    },
  };

  test('when the reply is an emergency, then the first thing said is to hang up and dial 999, and the call ends', () => {
    const root = parseTwiml(
      renderTurn([statement('Welcome.'), emergency], ctx({ status: 'emergency' })),
    );
    expect(verbs(root)).toEqual(['Say', 'Say', 'Say', 'Hangup']);
    expect(root.children[0]?.text).toBe(HANG_UP_AND_DIAL_999);
    expect(root.children[1]?.text).toBe(emergency.text);
    expect(findAll(root, 'Gather')).toHaveLength(0);
    expectBritishVoice(root);
  });

  test('when the conversation is in an emergency and no question is asked, then the call still ends with 999', () => {
    const root = parseTwiml(
      renderTurn(
        [statement('Call 999 now. If you have not done so yet, please do it now.')],
        ctx({ status: 'emergency' }),
      ),
    );
    expect(root.children[0]?.text).toBe(HANG_UP_AND_DIAL_999);
    expect(verbs(root).at(-1)).toBe('Hangup');
  });

  test('when the emergency is A&E or the crisis line rather than an ambulance, then it is said as it is, not as 999', () => {
    const crisis: Reply = {
      kind: 'emergency',
      text: 'Get urgent mental health help now. Call 111 and choose option 2.',
      expects: 'none',
      disposition: {
        code: 'MH_CRISIS_NOW',
        category: 'emergency',
        rank: 3,
        service: 'mental-health-crisis',
        label: 'Get urgent mental health help now',
        reasons: ['You told us about: thoughts of suicide.'],
      },
    };
    const root = parseTwiml(renderTurn([crisis], ctx({ status: 'emergency' })));
    expect(root.children[0]?.text).not.toBe(HANG_UP_AND_DIAL_999);
    expect(root.children[0]?.text).toContain('Call 111 and choose option 2');
    expect(verbs(root).at(-1)).toBe('Hangup');
  });

  test('when a possible red flag is being checked (a question while in emergency), then the question is asked', () => {
    const root = parseTwiml(
      renderTurn([yesNo('Is this happening now?')], ctx({ status: 'emergency' })),
    );
    expect(verbs(root)).toEqual(['Gather']);
  });

  test('when an outcome is reached, then label, reasons, advice and safety netting are read, then hear-again or goodbye', () => {
    const outcome: Reply = {
      kind: 'outcome',
      text: 'Look after yourself at home. Rest and drink fluids.',
      expects: 'none',
      disposition: {
        code: 'SELF_CARE',
        category: 'self-care',
        rank: 20,
        service: 'self-care',
        label: 'Look after yourself at home',
        reasons: ['You answered no to each of the warning signs'],
      },
    };
    const root = parseTwiml(
      renderTurn(
        [
          outcome,
          statement('What you can do now: paracetamol.'),
          statement('Get help sooner if things change: call 111.'),
        ],
        ctx({ status: 'ended' }),
      ),
    );
    expect(verbs(root)).toEqual(['Say', 'Say', 'Say', 'Say', 'Gather', 'Say', 'Hangup']);
    expect(root.children[1]?.text).toBe(
      'This is because: You answered no to each of the warning signs.',
    );
    expect(spokenText(root)).toContain('What you can do now: paracetamol.');
    expect(spokenText(root)).toContain('Get help sooner if things change');
    const gather = only(root, 'Gather');
    expect(gather.attributes).toMatchObject({ numDigits: '1' });
    expect(gather.attributes.actionOnEmptyResult).toBeUndefined();
    expect(gather.children[0]?.text).toMatch(/To hear that again, press 1/);
    expect(queryOf(gather.attributes.action ?? '')).toMatchObject({
      a: 'again',
      k: '3',
      t: '4',
      c: ID,
    });
    expect(root.children[5]?.text).toMatch(/Goodbye/);
    expectBritishVoice(root);
  });

  test('when the conversation has ended without an outcome, then the caller may say restart before goodbye', () => {
    const root = parseTwiml(
      renderTurn(
        [statement('This conversation has finished. Type "restart" to start a new one.')],
        ctx({ status: 'ended' }),
      ),
    );
    expect(verbs(root)).toEqual(['Say', 'Gather', 'Say', 'Hangup']);
    expect(root.children[0]?.text).toContain('Say "restart"');
    expect(only(root, 'Gather').attributes.hints).toContain('restart');
  });

  test("when the reply is the engine's error fallback, then it is said and the call ends", () => {
    const root = parseTwiml(
      renderTurn([{ kind: 'error', text: FALLBACK_TEXT, expects: 'none' }], ctx()),
    );
    expect(verbs(root)).toEqual(['Say', 'Hangup']);
  });

  test('when anything fails, then the fallback says where to get help and hangs up', () => {
    const root = parseTwiml(renderFallback());
    expect(verbs(root)).toEqual(['Say', 'Hangup']);
    expect(root.children[0]?.text).toBe(FALLBACK_TEXT);
    expect(root.children[0]?.text).toMatch(/call 111.*999/);
    expectBritishVoice(root);
  });
});

describe('voice render: silence and people', () => {
  test('when nothing was heard, then the question is asked again with the silence counted', () => {
    const state = parseCallState({
      t: '2',
      c: ID,
      e: 'yes-no',
      o: 'yes,no',
      p: 'Is it hot?',
      h: 'Yes, No',
    });
    const root = parseTwiml(renderSilence(state, 3));
    const gather = only(root, 'Gather');
    expect(gather.children[0]?.text).toBe("Sorry, I didn't hear anything. Is it hot?");
    expect(gather.attributes.hints).toBe('Yes, No');
    expect(queryOf(gather.attributes.action ?? '')).toMatchObject({
      t: '3',
      n: '1',
      p: 'Is it hot?',
    });
  });

  test('when a person is asked for and there is a hand-off number, then the call is dialled with a whisper', () => {
    const root = parseTwiml(
      renderHandoff({ handoffNumber: '+441134960000', conversationId: ID, reason: 'asked' }),
    );
    expect(verbs(root)).toEqual(['Say', 'Dial']);
    expect(root.children[0]?.text).toMatch(/putting you through/);
    const number = only(root, 'Number');
    expect(number.text).toBe('+441134960000');
    expect(number.attributes.url).toBe(`/twilio/voice/whisper?conversation=${ID}`);
    expect(queryOf(only(root, 'Dial').attributes.action ?? '')).toMatchObject({ a: 'dialled' });
  });

  test('when a person is asked for and there is no hand-off number, then the caller is told to call 111', () => {
    const root = parseTwiml(renderHandoff({ conversationId: ID, reason: 'silence' }));
    expect(verbs(root)).toEqual(['Say', 'Hangup']);
    expect(root.children[0]?.text).toMatch(/call 111/);
  });

  test('when the person did not answer, then the caller hears where else to get help', () => {
    expect(spokenText(parseTwiml(renderDialResult('no-answer')))).toMatch(/nobody could take/);
    expect(spokenText(parseTwiml(renderDialResult('completed')))).toMatch(/Goodbye/);
  });

  test('when the person who takes the call is whispered to, then they hear the summary', () => {
    const root = parseTwiml(renderWhisper('The caller was assessed for headache.'));
    expect(verbs(root)).toEqual(['Say']);
    expect(root.children[0]?.text).toBe('The caller was assessed for headache.');
  });
});
