import { describe, expect, test } from 'vitest';
import {
  actionUrl,
  asksForPerson,
  callerAddress,
  parseCallState,
  parseVoiceParams,
  readInput,
  wantsRepeat,
  type CallState,
  type VoiceParams,
} from '../../../src/channels/voice/parse.js';
import { queryOf } from './twiml.js';

function aState(overrides: Partial<CallState> = {}): CallState {
  return {
    turn: 3,
    step: 'answer',
    conversationId: 'c0ffee00-0000-4000-8000-000000000001',
    noInput: 0,
    expects: 'yes-no',
    options: ['yes', 'no', 'unsure'],
    prompt: 'Is it hot? Say yes or press 1.',
    hints: 'Yes, No',
    ...overrides,
  };
}

function params(overrides: Partial<VoiceParams> = {}): VoiceParams {
  return { CallSid: 'CA0001', From: '+447700900123', ...overrides };
}

describe('voice parse: the state carried in the action URL', () => {
  test('when a state is written to an action URL and read back, then it is the same state', () => {
    const state = aState({ noInput: 1, prompt: 'Is it "hot" & sore? Say yes, or press 1.' });
    const url = actionUrl('/twilio/voice', state);
    expect(url.startsWith('/twilio/voice?')).toBe(true);
    expect(parseCallState(queryOf(url))).toEqual(state);
  });

  test('when the query is missing or odd, then defaults are used and nothing throws', () => {
    const state = parseCallState({
      t: 'x',
      n: ['1', '2'],
      e: 'sideways',
      c: '../etc',
      o: 'a b,ok',
    });
    expect(state).toEqual({
      turn: undefined,
      step: 'answer',
      conversationId: undefined,
      noInput: 0,
      expects: undefined,
      options: ['ok'],
      prompt: undefined,
      hints: undefined,
      replayTurn: undefined,
    });
  });

  test('when the body has no CallSid, then it is not a voice webhook', () => {
    expect(parseVoiceParams({ From: '+447700900123' })).toBeUndefined();
    expect(parseVoiceParams(undefined)).toBeUndefined();
    expect(parseVoiceParams({ CallSid: 'CA1', Digits: '1' })).toMatchObject({ Digits: '1' });
  });
});

describe('voice parse: who is calling', () => {
  test.each(['anonymous', 'Anonymous', 'restricted', '', '+266696687', 'unknown'])(
    'when From is %j, then the call itself is the address',
    (from) => {
      expect(callerAddress({ CallSid: 'CA0001', From: from })).toBe('CA0001');
    },
  );

  test('when From is a number, then the number is the address', () => {
    expect(callerAddress({ CallSid: 'CA0001', From: '+447700900123' })).toBe('+447700900123');
    expect(callerAddress({ CallSid: 'CA0001' })).toBe('CA0001');
  });
});

describe('voice parse: what the caller did', () => {
  test('when one key is pressed for a question with options, then it picks the option at that position', () => {
    expect(readInput(params({ Digits: '2' }), aState())).toEqual({
      kind: 'option',
      optionId: 'no',
    });
    expect(readInput(params({ Digits: '3' }), aState())).toEqual({
      kind: 'option',
      optionId: 'unsure',
    });
  });

  test('when a key beyond the options is pressed, then the digits go as text for the engine to judge', () => {
    expect(readInput(params({ Digits: '7' }), aState())).toEqual({ kind: 'text', text: '7' });
  });

  test('when a number question is answered by keypad, then the digits go as text, star included', () => {
    const state = aState({ expects: 'number', options: ['unsure'] });
    expect(readInput(params({ Digits: '38*5' }), state)).toEqual({ kind: 'text', text: '38*5' });
    expect(readInput(params({ Digits: '1' }), state)).toEqual({ kind: 'text', text: '1' });
  });

  test('when 0 is pressed, then the caller wants a person', () => {
    expect(readInput(params({ Digits: '0' }), aState())).toEqual({ kind: 'person' });
    expect(readInput(params({ Digits: '0' }), aState({ expects: 'text', options: [] }))).toEqual({
      kind: 'person',
    });
  });

  test('when 0 is keyed in for a number question, then it is the number 0 ("or 0 for no cough")', () => {
    const state = aState({ expects: 'number', options: [] });
    expect(readInput(params({ Digits: '0' }), state)).toEqual({ kind: 'text', text: '0' });
  });

  test('when speech is heard, then it is text with its confidence', () => {
    expect(
      readInput(params({ SpeechResult: ' I have a headache ', Confidence: '0.4213' }), aState()),
    ).toEqual({ kind: 'text', text: 'I have a headache', confidence: 0.4213 });
    expect(readInput(params({ SpeechResult: 'yes', Confidence: 'n/a' }), aState())).toEqual({
      kind: 'text',
      text: 'yes',
    });
  });

  test('when neither speech nor keys came, then it is silence', () => {
    expect(readInput(params({ SpeechResult: '  ', Digits: '' }), aState())).toEqual({
      kind: 'silence',
    });
  });

  test.each([
    'operator',
    'Operator.',
    'person',
    'a person please',
    'human',
    'speak to someone',
    'Can I speak to someone please?',
    'I want to talk to a real person',
    'let me speak to an operator',
  ])('when the caller says %j, then they are asking for a person', (speech) => {
    expect(asksForPerson(speech)).toBe(true);
    expect(readInput(params({ SpeechResult: speech }), aState())).toEqual({ kind: 'person' });
  });

  test.each([
    'someone else',
    'another person',
    'the person is not breathing',
    'my husband',
    'someone',
    'I have spoken to someone at the GP already',
  ])(
    'when the caller says %j, then it is an answer for the engine, not a request for a person',
    (speech) => {
      expect(asksForPerson(speech)).toBe(false);
    },
  );

  test('when asked to hear the outcome again, then 1 or "again" means yes and anything else no', () => {
    expect(wantsRepeat(params({ Digits: '1' }))).toBe(true);
    expect(wantsRepeat(params({ SpeechResult: 'Can you say that again?' }))).toBe(true);
    expect(wantsRepeat(params({ Digits: '2' }))).toBe(false);
    expect(wantsRepeat(params({}))).toBe(false);
  });
});
