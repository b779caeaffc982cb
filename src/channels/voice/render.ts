import twilio from 'twilio';
import {
  FALLBACK_TEXT,
  type ConversationStatus,
  type Reply,
  type ReplyOption,
} from '../../flows/index.js';
import { actionUrl, MAX_HINTS, MAX_PROMPT, type CallState } from './parse.js';

/**
 * TwiML for the voice channel, built by pure functions from the engine's replies and the state
 * carried in the action URL. Every prompt is spoken in a British English voice, and every
 * question is a <Gather> that takes speech or the keypad.
 */

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;

export const VOICE_PATH = '/twilio/voice';
export const WHISPER_PATH = '/twilio/voice/whisper';

const SAY = { voice: 'Polly.Amy', language: 'en-GB' } as const;

export const HANG_UP_AND_DIAL_999 = 'Hang up and dial 999 now.';
export const NOT_HEARD = "Sorry, I didn't hear anything.";
const GOODBYE = 'Thank you for calling. Goodbye.';
const CALL_111 =
  'Please hang up and call 111, where someone can help you. In an emergency, call 999.';
const HEAR_AGAIN = 'To hear that again, press 1. Otherwise, you can hang up now.';
const RESTART_PROMPT =
  'If you would like to start again, say restart. Otherwise, you can hang up now.';
const ANSWER_PROMPT = 'Please say your answer, or use the keypad.';
const HANDOFF_TIP = 'To speak to a person at any time, say operator or press 0.';

/** Where the call is: the numbers and flags render needs beyond the replies themselves. */
export interface TurnContext {
  /** The number the next <Gather> carries (one more than the request being answered). */
  nextTurn: number;
  /** The turn these replies answered: "press 1 to hear that again" asks for it once more. */
  replyTurn: number;
  conversationId: string;
  status: ConversationStatus;
  /** The question the caller was answering, to ask again when these replies ask none. */
  previous?: CallState | undefined;
  /** Say how to reach a person (first prompt of a call, with a hand-off number). */
  handoffTip?: boolean;
}

/** Written wording adapted for the ear: the caller cannot type, but can say it. */
export function spoken(text: string): string {
  return text.replace(/\bType\b/g, 'Say').replace(/\btype\b/g, 'say');
}

function wordingOf(reply: Reply): string {
  return spoken(reply.voice ?? reply.text);
}

/** "Yes" reads as "say yes"; labels that start with a name or an acronym keep their capitals. */
function sayable(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? `${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
}

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** How to answer aloud or by keypad: "Say yes or press 1, say no or press 2." */
export function answerInstructions(reply: Reply): string {
  const options = reply.options ?? [];
  if (reply.expects === 'number') {
    // Pathway authors often say how to key the number in already ("…then press hash").
    const keypad = /\bhash\b/i.test(wordingOf(reply))
      ? []
      : [
          'Say the number, or key it in and then press the hash key. For a decimal point, press star.',
        ];
    const unsure = options.some((o) => o.id === 'unsure') ? ["If you don't know, say so."] : [];
    return [...keypad, ...unsure].join(' ');
  }
  if (options.length === 0) {
    return '';
  }
  const hash = options.length > 9 ? ', then the hash key' : '';
  const parts = options.map((o, i) => `say ${sayable(o.label)} or press ${i + 1}${hash}`);
  const text = parts.join(', ');
  return `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`;
}

/** Speech hints from the answers a question expects: its option labels and their synonyms. */
export function hintsFor(options: readonly ReplyOption[]): string | undefined {
  const words: string[] = [];
  for (const o of options) {
    for (const phrase of [o.label, ...(o.synonyms ?? [])]) {
      const clean = phrase.replace(/\s*,\s*/g, ' ').trim();
      if (clean !== '' && !words.includes(clean)) {
        words.push(clean);
      }
    }
  }
  let hints = '';
  for (const w of words) {
    const next = hints === '' ? w : `${hints}, ${w}`;
    if (next.length > MAX_HINTS) {
      break;
    }
    hints = next;
  }
  return hints === '' ? undefined : hints;
}

/** The question as this channel asks it, and the state its answer will need. */
export function askState(reply: Reply, turn: number, conversationId: string): CallState {
  const instructions = answerInstructions(reply);
  const prompt = [sentence(wordingOf(reply)), instructions].filter((s) => s !== '').join(' ');
  const options = reply.options ?? [];
  return {
    turn,
    step: 'answer',
    conversationId,
    noInput: 0,
    expects: reply.expects,
    options: options.map((o) => o.id),
    prompt: prompt.slice(0, MAX_PROMPT),
    hints: hintsFor(options),
  };
}

function say(node: Pick<VoiceResponse, 'say'>, text: string): void {
  node.say(SAY, text);
}

/** A question: speech and keypad, with the prompt inside so the caller can answer over it. */
function gather(response: VoiceResponse, state: CallState, lead?: string): void {
  const keyed = state.expects !== 'number' && state.expects !== 'text';
  const g = response.gather({
    input: ['speech', 'dtmf'],
    language: 'en-GB',
    speechTimeout: 'auto',
    actionOnEmptyResult: true,
    action: actionUrl(VOICE_PATH, state),
    method: 'POST',
    finishOnKey: '#',
    // One key press answers a question of up to nine options, without waiting for '#'.
    ...(keyed && state.options.length > 0 && state.options.length <= 9 ? { numDigits: 1 } : {}),
    ...(state.hints === undefined ? {} : { hints: state.hints }),
  });
  say(g, [lead, state.prompt ?? ANSWER_PROMPT].filter((s) => s !== undefined).join(' '));
}

function isQuestion(reply: Reply): boolean {
  return (reply.kind === 'question' || reply.kind === 'booking-offer') && reply.expects !== 'none';
}

/**
 * An emergency. When it is an ambulance (999), the first thing said is to hang up and dial 999;
 * other emergencies (A&E now, the mental health crisis line, the maternity unit, a clinician
 * now) are said as they are, ending with what to do if it gets worse, then the call ends.
 */
function renderEmergency(response: VoiceResponse, replies: readonly Reply[]): void {
  const from = Math.max(
    0,
    replies.findIndex((r) => r.kind === 'emergency'),
  );
  // Only a disposition known not to be an ambulance drops the 999 lead: when in doubt, 999.
  const service = replies[from]?.disposition?.service;
  const ambulance = service === undefined || service === 'ambulance';
  if (ambulance) {
    say(response, HANG_UP_AND_DIAL_999);
  }
  for (const reply of replies.slice(from)) {
    say(response, wordingOf(reply));
  }
  say(
    response,
    ambulance
      ? 'Please hang up now and dial 999.'
      : 'If it gets worse, or someone’s life is at risk, hang up and dial 999.',
  );
  response.hangup();
}

/** An outcome: what to do and why, advice and when to get help sooner; then once more, or goodbye. */
function renderOutcome(response: VoiceResponse, replies: readonly Reply[], ctx: TurnContext): void {
  for (const reply of replies) {
    say(response, wordingOf(reply));
    const reasons = reply.kind === 'outcome' ? (reply.disposition?.reasons ?? []) : [];
    if (reasons.length > 0) {
      say(response, `This is because: ${reasons.map(sentence).join(' ')}`);
    }
  }
  const g = response.gather({
    input: ['dtmf', 'speech'],
    language: 'en-GB',
    speechTimeout: 'auto',
    numDigits: 1,
    hints: 'repeat, again',
    action: actionUrl(VOICE_PATH, {
      step: 'again',
      turn: ctx.nextTurn,
      conversationId: ctx.conversationId,
      replayTurn: ctx.replyTurn,
      noInput: 0,
      options: [],
    }),
    method: 'POST',
  });
  say(g, HEAR_AGAIN);
  say(response, GOODBYE);
  response.hangup();
}

/**
 * One turn's replies as TwiML. In order of precedence: an emergency hangs up after telling the
 * caller to dial 999; a question is asked in a <Gather>; an outcome is read with the offer to
 * hear it again; an error says so and hangs up; an ended conversation offers to start again;
 * anything else (help, "nothing to undo") is said and the previous question asked again.
 */
export function renderTurn(replies: readonly Reply[], ctx: TurnContext): string {
  const response = new twilio.twiml.VoiceResponse();
  const questionAt = replies.findLastIndex(isQuestion);
  const emergency =
    replies.some((r) => r.kind === 'emergency') || (ctx.status === 'emergency' && questionAt < 0);
  if (emergency) {
    renderEmergency(response, replies);
    return response.toString();
  }
  const question = replies[questionAt];
  if (question) {
    for (const reply of replies.filter((_, i) => i !== questionAt)) {
      say(response, wordingOf(reply));
    }
    if (ctx.handoffTip) {
      say(response, HANDOFF_TIP);
    }
    gather(response, askState(question, ctx.nextTurn, ctx.conversationId));
    return response.toString();
  }
  if (replies.some((r) => r.kind === 'outcome')) {
    renderOutcome(response, replies, ctx);
    return response.toString();
  }
  for (const reply of replies) {
    say(response, wordingOf(reply));
  }
  if (replies.some((r) => r.kind === 'error')) {
    response.hangup();
    return response.toString();
  }
  if (ctx.status === 'ended') {
    const g = response.gather({
      input: ['speech', 'dtmf'],
      language: 'en-GB',
      speechTimeout: 'auto',
      hints: 'restart, start again',
      action: actionUrl(VOICE_PATH, {
        step: 'answer',
        turn: ctx.nextTurn,
        conversationId: ctx.conversationId,
        noInput: 0,
        expects: 'text',
        options: [],
        prompt: RESTART_PROMPT,
        hints: 'restart, start again',
      }),
      method: 'POST',
    });
    say(g, RESTART_PROMPT);
    say(response, GOODBYE);
    response.hangup();
    return response.toString();
  }
  const previous = ctx.previous;
  gather(response, {
    step: 'answer',
    turn: ctx.nextTurn,
    conversationId: ctx.conversationId,
    noInput: 0,
    expects: previous?.expects,
    options: previous?.options ?? [],
    prompt: previous?.prompt,
    hints: previous?.hints,
  });
  return response.toString();
}

/** Nothing heard: say so and ask the same question again, counting the silence. */
export function renderSilence(state: CallState, nextTurn: number): string {
  const response = new twilio.twiml.VoiceResponse();
  gather(
    response,
    { ...state, step: 'answer', turn: nextTurn, noInput: state.noInput + 1 },
    NOT_HEARD,
  );
  return response.toString();
}

/**
 * Putting the caller through to a person, who first hears a summary of the call so far (the
 * whisper). Without a hand-off number there is no one to put them through to: send them to 111.
 */
export function renderHandoff(options: {
  handoffNumber?: string | undefined;
  conversationId?: string | undefined;
  reason: 'asked' | 'silence';
}): string {
  const response = new twilio.twiml.VoiceResponse();
  const lead = options.reason === 'silence' ? "Sorry, I still can't hear you. " : '';
  if (options.handoffNumber === undefined) {
    say(
      response,
      `${lead}${options.reason === 'asked' ? "Sorry, I can't put you through to a person from here. " : ''}${CALL_111}`,
    );
    response.hangup();
    return response.toString();
  }
  say(response, `${lead}I'm putting you through to a person now. Please stay on the line.`);
  const dial = response.dial({
    action: actionUrl(VOICE_PATH, {
      step: 'dialled',
      conversationId: options.conversationId,
      noInput: 0,
      options: [],
    }),
    method: 'POST',
  });
  const whisper =
    options.conversationId === undefined
      ? WHISPER_PATH
      : `${WHISPER_PATH}?${new URLSearchParams({ conversation: options.conversationId }).toString()}`;
  dial.number({ url: whisper, method: 'POST' }, options.handoffNumber);
  return response.toString();
}

/** After the call to a person: goodbye if it happened, otherwise where else to get help. */
export function renderDialResult(dialCallStatus: string | undefined): string {
  const response = new twilio.twiml.VoiceResponse();
  say(
    response,
    dialCallStatus === 'completed'
      ? GOODBYE
      : `Sorry, nobody could take your call just now. ${CALL_111}`,
  );
  response.hangup();
  return response.toString();
}

/** What the person taking a handed-off call hears before the caller is connected. */
export function renderWhisper(summary: string | undefined): string {
  const response = new twilio.twiml.VoiceResponse();
  say(
    response,
    summary ??
      'This is a call handed over from the digital 111 service. There is no summary of the call so far.',
  );
  return response.toString();
}

export function renderGoodbye(): string {
  const response = new twilio.twiml.VoiceResponse();
  say(response, GOODBYE);
  response.hangup();
  return response.toString();
}

/** The safe fallback when anything fails: where to get help, then hang up. Never silent. */
export function renderFallback(): string {
  const response = new twilio.twiml.VoiceResponse();
  say(response, FALLBACK_TEXT);
  response.hangup();
  return response.toString();
}
