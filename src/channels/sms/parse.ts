import { z } from 'zod';

/** Twilio's inbound SMS webhook, as far as we use it. Twilio sends many more fields. */
export const InboundSmsSchema = z.object({
  From: z.string().trim().min(1).max(64),
  Body: z.string().max(1600).default(''),
  MessageSid: z.string().trim().min(1).max(200).optional(),
  To: z.string().max(64).optional(),
});
export type InboundSms = z.infer<typeof InboundSmsSchema>;

/**
 * Whole-message keywords. STOP and its synonyms and START/UNSTOP are the UK and US carrier
 * opt-out words Twilio also recognises; HELP must answer what the service is. RESTART and BACK
 * are the engine's own commands, passed on as text. LINK and WEB ask for a link to the web chat.
 * "Yes" is deliberately not an opt-in word here, as it is in Twilio's list: it is an answer.
 */
export type SmsKeyword = 'stop' | 'start' | 'help' | 'restart' | 'back' | 'link';

const KEYWORDS: Record<string, SmsKeyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  START: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  RESTART: 'restart',
  BACK: 'back',
  LINK: 'link',
  WEB: 'link',
};

/** The keyword a whole message is (any case, stray spaces and punctuation around it), if any. */
export function smsKeyword(body: string): SmsKeyword | undefined {
  const word = body
    .trim()
    .replace(/^[\s.,!?'"]+|[\s.,!?'"]+$/g, '')
    .toUpperCase();
  return Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
}

/**
 * A UK mobile number in E.164 (+447…), or undefined. Accepts 07…, +447…, 447… and 00447… with
 * spaces, dashes, dots or brackets, and "+44 (0)7…". Deliberately simple: the CRM has the
 * thorough check, and Twilio refuses what is not a real number.
 */
export function normaliseUkMobile(value: string): string | undefined {
  if (!/^\+?[\d\s\-.()]+$/.test(value.trim())) {
    return undefined;
  }
  const digits = value.replace(/[\s\-.()]/g, '');
  const national = /^(?:\+44|0044|44)0?(7\d{9})$/.exec(digits) ?? /^0(7\d{9})$/.exec(digits);
  return national ? `+44${national[1]}` : undefined;
}
