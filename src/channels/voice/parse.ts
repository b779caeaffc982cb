import { z } from 'zod';
import { EXPECTS, MAX_TEXT, type Expects } from '../../flows/index.js';

/**
 * Reading a Twilio voice webhook: the posted call parameters, and the small state this channel
 * carries from one <Gather> to the next in its action URL (so no call state lives in a process).
 * Pure functions only; the router turns what they return into engine calls.
 */

/** The parameters of a voice webhook this channel uses; Twilio sends many more. */
const VoiceParamsSchema = z.object({
  CallSid: z.string().min(1).max(64),
  From: z.string().max(64).optional(),
  SpeechResult: z.string().optional(),
  Digits: z.string().max(64).optional(),
  Confidence: z.string().max(32).optional(),
  /** On the <Dial> action: how the call to the person went. */
  DialCallStatus: z.string().max(32).optional(),
});
export type VoiceParams = z.infer<typeof VoiceParamsSchema>;

/** The posted body, or undefined when it is not a voice webhook (no CallSid). */
export function parseVoiceParams(body: unknown): VoiceParams | undefined {
  const parsed = VoiceParamsSchema.safeParse(body ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** What the action URL says about where the call is. */
export type Step = 'answer' | 'again' | 'dialled';

export interface CallState {
  /** Which <Gather> of the call this request answers; absent on the call's first request. */
  turn?: number | undefined;
  step: Step;
  conversationId?: string | undefined;
  /** How many <Gather>s in a row heard nothing. */
  noInput: number;
  /** The question being answered: what it expects and its option ids, in keypad order. */
  expects?: Expects | undefined;
  options: string[];
  /** The spoken question, to ask again after silence or a "help" that did not repeat it. */
  prompt?: string | undefined;
  hints?: string | undefined;
  /** On "again": the turn whose replies (an outcome) are read once more. */
  replayTurn?: number | undefined;
}

/** Length caps for what travels in a URL: enough for any spoken question, never unbounded. */
export const MAX_PROMPT = 600;
export const MAX_HINTS = 300;

const ID = /^[A-Za-z0-9-]{1,128}$/;
const OPTION_ID = /^[A-Za-z0-9_-]{1,100}$/;

function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number | undefined {
  const text = one(value);
  if (text === undefined || !/^\d{1,4}$/.test(text)) {
    return undefined;
  }
  return Number(text);
}

/**
 * The state carried in the query of the action URL. It is trustworthy as far as the signature
 * check goes (Twilio signs the URL it calls), but is still read defensively: anything odd is
 * dropped rather than failing the call.
 */
export function parseCallState(query: Record<string, unknown>): CallState {
  const step = one(query.a);
  const expects = one(query.e);
  const conversationId = one(query.c);
  const options = (one(query.o) ?? '')
    .split(',')
    .filter((o) => OPTION_ID.test(o))
    .slice(0, 20);
  return {
    turn: count(query.t),
    step: step === 'again' || step === 'dialled' ? step : 'answer',
    conversationId:
      conversationId !== undefined && ID.test(conversationId) ? conversationId : undefined,
    noInput: count(query.n) ?? 0,
    expects: EXPECTS.find((x) => x === expects),
    options,
    prompt: one(query.p)?.slice(0, MAX_PROMPT) || undefined,
    hints: one(query.h)?.slice(0, MAX_HINTS) || undefined,
    replayTurn: count(query.k),
  };
}

/** The opposite of parseCallState: the action URL of the next <Gather>, relative to this host. */
export function actionUrl(path: string, state: CallState): string {
  const q = new URLSearchParams();
  if (state.step !== 'answer') {
    q.set('a', state.step);
  }
  if (state.turn !== undefined) {
    q.set('t', String(state.turn));
  }
  if (state.conversationId !== undefined) {
    q.set('c', state.conversationId);
  }
  if (state.noInput > 0) {
    q.set('n', String(state.noInput));
  }
  if (state.replayTurn !== undefined) {
    q.set('k', String(state.replayTurn));
  }
  if (state.expects !== undefined) {
    q.set('e', state.expects);
  }
  if (state.options.length > 0) {
    q.set('o', state.options.join(','));
  }
  if (state.prompt !== undefined) {
    q.set('p', state.prompt.slice(0, MAX_PROMPT));
  }
  if (state.hints !== undefined) {
    q.set('h', state.hints.slice(0, MAX_HINTS));
  }
  const query = q.toString();
  return query === '' ? path : `${path}?${query}`;
}

/** Twilio's ways of saying the number is withheld. */
const WITHHELD = new Set(['', 'anonymous', 'restricted', 'unknown', 'unavailable', 'private']);

/**
 * Who is calling, as the engine keys conversations: the caller's number, or for a withheld
 * number the call itself (such a caller cannot be recognised on a later call anyway).
 */
export function callerAddress(params: Pick<VoiceParams, 'From' | 'CallSid'>): string {
  const from = (params.From ?? '').trim();
  const digits = from.replace(/\D/g, '');
  // +266696687 is the number Twilio shows for a withheld caller ID.
  if (WITHHELD.has(from.toLowerCase()) || digits === '266696687' || digits.length < 3) {
    return params.CallSid;
  }
  return from;
}

/** Politeness and lead-ins that do not change what is asked for. */
const LEAD_IN =
  /^(?:(?:please|hello|hi|um+|er+|erm|ok|okay|yes|can i|could i|may i|i want to|i wanna|i would like to|i'd like to|i need to|let me|put me through to|get me|i want|i need)\s+)+/;
const PERSON =
  /^(?:(?:speak|talk)\s+(?:to|with)\s+)?(?:an?\s+|the\s+|some\s+)?(?:real\s+|actual\s+)?(?:operator|person|human(?:\s+being)?|someone|somebody|agent|call\s+handler)(?:\s+please)?$/;

/**
 * Whether the whole utterance is a request for a person ("operator", "can I speak to someone
 * please"). Only a request on its own counts: an answer that merely mentions a person ("the
 * person is not breathing") goes to the engine, which watches every message for red flags.
 */
export function asksForPerson(speech: string): boolean {
  const n = speech
    .toLowerCase()
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(LEAD_IN, '');
  if (!PERSON.test(n)) {
    return false;
  }
  // "person" or "someone" alone could be an answer to "who is this about?"; a request for a
  // person is said with "speak/talk to", or names an operator or a human.
  return (
    /\b(speak|talk|operator|human|agent|call handler|real|actual)\b/.test(n) ||
    /^(?:a )?person(?: please)?$/.test(n)
  );
}

/** What the caller did at a <Gather>. */
export type CallerInput =
  | { kind: 'silence' }
  | { kind: 'person' }
  | { kind: 'option'; optionId: string }
  | { kind: 'text'; text: string; confidence?: number };

/** Speech confidence as the engine takes it: a number from 0 to 1, or nothing. */
function confidenceOf(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') {
    return undefined;
  }
  const value = Number(raw);
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : undefined;
}

/**
 * The caller's input at a <Gather>: keypad first (a key press is deliberate), then speech.
 * A single key picks the option at that position when the question has options; 0 asks for a
 * person (but is a number where a number is asked); anything else is sent as text ("38*5" is
 * 38.5 to the engine).
 */
export function readInput(params: VoiceParams, state: CallState): CallerInput {
  const digits = (params.Digits ?? '').replace(/[^0-9*#]/g, '').replace(/#+$/, '');
  if (digits !== '') {
    // 0 asks for a person, except where 0 is an answer ("key in 0 for no cough").
    if (digits === '0' && state.expects !== 'number') {
      return { kind: 'person' };
    }
    const asOption = state.expects !== 'number' && state.expects !== 'text';
    const position = /^[1-9]$/.test(digits) ? Number(digits) : undefined;
    const optionId = position === undefined ? undefined : state.options[position - 1];
    if (asOption && optionId !== undefined) {
      return { kind: 'option', optionId };
    }
    return { kind: 'text', text: digits };
  }
  const speech = (params.SpeechResult ?? '').trim().slice(0, MAX_TEXT);
  if (speech === '') {
    return { kind: 'silence' };
  }
  if (asksForPerson(speech)) {
    return { kind: 'person' };
  }
  const confidence = confidenceOf(params.Confidence);
  return { kind: 'text', text: speech, ...(confidence === undefined ? {} : { confidence }) };
}

/** On the outcome's "press 1 to hear that again": did they ask for it? */
export function wantsRepeat(params: VoiceParams): boolean {
  if ((params.Digits ?? '').startsWith('1')) {
    return true;
  }
  return /\b(again|repeat|pardon|yes|say that)\b/i.test(params.SpeechResult ?? '');
}
