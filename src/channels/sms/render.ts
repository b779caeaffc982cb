import twilio from 'twilio';
import type { Reply, ReplyOption } from '../../flows/index.js';
import { MAX_SEGMENTS, packMessages, splitSentences, toGsm7 } from './segments.js';

/**
 * Reply[] as text messages, and text messages as TwiML. Pure functions: no request, no engine.
 *
 * Options are numbered in the order the engine gives them, and a patient who answers "2" sends
 * the text "2" back to the engine. That keeps the number-to-option mapping free of server memory:
 * the engine's answer parsers already read a bare number by position ("1"/"2"/"3" are yes, no and
 * don't know for a yes-or-no question; "n" is the n-th option of a choice question, and the one
 * after the last is "I don't know", which the engine appends last). Number and free-text
 * questions are never numbered: there "1" must stay the number one.
 */

/** Choice options are written on one line when they are this short together; else one per line. */
const INLINE_LABELS_MAX = 40;

const SAY_DONT_KNOW = "if you don't know";

function isUnsure(option: ReplyOption): boolean {
  return option.id === 'unsure';
}

/** "Reply 1 for Yes, 2 for No, 3 if you don't know." or a numbered list for long options. */
function numberedOptions(options: readonly ReplyOption[]): string {
  const short =
    options.length <= 4 &&
    options.filter((o) => !isUnsure(o)).reduce((n, o) => n + o.label.length, 0) <=
      INLINE_LABELS_MAX;
  if (short) {
    const parts = options.map((o, i) =>
      isUnsure(o) ? `${i + 1} ${SAY_DONT_KNOW}` : `${i + 1} for ${o.label}`,
    );
    return `Reply ${parts.join(', ')}.`;
  }
  const lines = options.map((o, i) => `${i + 1} ${o.label}`);
  return `${lines.join('\n')}\nReply with the number.`;
}

/** Options of a question that takes a number or words: named, never numbered. */
function namedOptions(options: readonly ReplyOption[]): string {
  const names = options.map((o) => (isUnsure(o) ? '"don\'t know"' : `"${o.label}"`));
  return `Or reply ${names.join(' or ')}.`;
}

/** A sentence that tells the patient we cannot make the 999 call for them. */
const CANNOT_CALL_999 = /\bcannot call 999\b/i;

/**
 * Emergency text with what matters most in the first segment: the instruction (its first
 * sentence) and that we cannot call 999 for them, which the engine's wording puts last.
 */
function emergencyText(reply: Reply): string {
  const sentences = splitSentences(reply.text);
  const [first, ...rest] = sentences;
  if (first === undefined) {
    return reply.text;
  }
  const cannot = rest.filter((s) => CANNOT_CALL_999.test(s));
  const others = rest.filter((s) => !CANNOT_CALL_999.test(s));
  const needsOne =
    cannot.length === 0 &&
    !CANNOT_CALL_999.test(first) &&
    reply.disposition?.service === 'ambulance';
  const notice = needsOne ? ['We cannot call 999 for you by text.'] : cannot;
  return [first, ...notice, ...others].join(' ');
}

/** One reply as the text of one block of a message (before GSM-7 sanitising). */
export function replyText(reply: Reply): string {
  if (reply.kind === 'emergency') {
    return emergencyText(reply);
  }
  const options = reply.options ?? [];
  let text = reply.text;
  if (options.length > 0 && (reply.expects === 'yes-no' || reply.expects === 'choice')) {
    text = `${text}\n${numberedOptions(options)}`;
  } else if (options.length > 0 && reply.expects !== 'none') {
    text = `${text} ${namedOptions(options)}`;
  }
  const reasons = reply.kind === 'outcome' ? (reply.disposition?.reasons ?? []) : [];
  if (reasons.length > 0) {
    text = `${text}\nWhy we said this: ${reasons.join(' ')}`;
  }
  return text;
}

/**
 * The text messages for one turn: emergencies first (so the 999 instruction is the start of the
 * first segment of the first message), then the rest in order, in GSM-7 only, packed into as few
 * messages as fit in MAX_SEGMENTS segments each, split between sentences when one is too long.
 */
export function smsBodies(replies: readonly Reply[]): string[] {
  const ordered = [
    ...replies.filter((r) => r.kind === 'emergency'),
    ...replies.filter((r) => r.kind !== 'emergency'),
  ];
  return packMessages(
    ordered.map((r) => toGsm7(replyText(r))),
    MAX_SEGMENTS,
  );
}

/** <Response> with one <Message> per text, in order. */
export function messagingTwiml(bodies: readonly string[]): string {
  const response = new twilio.twiml.MessagingResponse();
  for (const body of bodies) {
    response.message(body);
  }
  return response.toString();
}

/** Plain texts (keywords, fallbacks) as TwiML, sanitised and split like replies. */
export function textTwiml(...texts: string[]): string {
  return messagingTwiml(packMessages(texts.map(toGsm7), MAX_SEGMENTS));
}

export function repliesTwiml(replies: readonly Reply[]): string {
  return messagingTwiml(smsBodies(replies));
}
