import type { Reply } from './contracts.js';

/**
 * The safe answer when anything goes wrong inside a turn: the patient is never left in silence
 * and always knows where to get help.
 */
export const FALLBACK_TEXT =
  "Sorry, something went wrong on our side and we can't continue this conversation right now. If you are worried about your symptoms, call 111. In an emergency, call 999.";

export function fallbackReply(): Reply {
  return { kind: 'error', text: FALLBACK_TEXT, expects: 'none' };
}
