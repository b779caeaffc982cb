import {
  ActionTypes,
  ActivityTypes,
  InputHints,
  TextFormatTypes,
  type Activity,
  type CardAction,
} from 'botbuilder';
import type { Reply, ReplyOption } from '../../flows/index.js';

/**
 * Reply[] to Bot Framework message activities, as pure functions: one activity per reply, in
 * Markdown (Teams, Web Chat and the Emulator all render it), with the options of the last
 * question as suggested actions the patient can tap.
 */

/** More buttons than this crowd a phone screen; the rest are listed in the text as numbers. */
export const MAX_SUGGESTED_ACTIONS = 10;

/** Typed (or tapped) as text, the engine reads this as its "help" command. */
export const HELP_ACTION = 'What does this mean?';

const REASONS_HEADING = 'Why we are advising this:';

/**
 * Markdown characters that would turn clinical wording into formatting (an asterisk in "*not*",
 * an underscore in a code). Line structure is kept: pathway text is written as plain sentences.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_`[\]])/g, '\\$1');
}

/** The label in bold, without saying it twice when the text already opens with it. */
function withLabel(label: string, text: string): string {
  const opensWithLabel =
    text.toLowerCase().startsWith(label.toLowerCase()) &&
    !/[a-z0-9]/i.test(text.charAt(label.length));
  if (opensWithLabel) {
    return `**${escapeMarkdown(text.slice(0, label.length))}**${escapeMarkdown(text.slice(label.length))}`;
  }
  return `**${escapeMarkdown(label)}**\n\n${escapeMarkdown(text)}`;
}

/** The Markdown text of one reply; emergencies and outcomes carry their label and reasons. */
export function renderText(reply: Reply): string {
  const { disposition } = reply;
  if ((reply.kind === 'emergency' || reply.kind === 'outcome') && disposition) {
    const reasons = disposition.reasons.map((r) => `- ${escapeMarkdown(r)}`);
    return [
      withLabel(disposition.label, reply.text),
      ...(reasons.length > 0 ? [REASONS_HEADING, reasons.join('\n')] : []),
    ].join('\n\n');
  }
  return escapeMarkdown(reply.text);
}

function imBack(title: string): CardAction {
  // imBack is the one action type every channel supports in suggested actions (Teams only
  // supports imBack there); the label comes back as the patient's text and the engine matches
  // labels exactly, so the tap answers like typing it would.
  return { type: ActionTypes.ImBack, title, value: title };
}

/** Yes/no questions always offer yes and no, even if the engine sent no options. */
function optionsOf(reply: Reply): readonly ReplyOption[] {
  if (reply.options && reply.options.length > 0) {
    return reply.options;
  }
  return reply.expects === 'yes-no'
    ? [
        { id: 'yes', label: 'Yes' },
        { id: 'no', label: 'No' },
      ]
    : [];
}

function isQuestion(reply: Reply): boolean {
  return reply.kind === 'question' || reply.kind === 'booking-offer';
}

/** The suggested actions for a question: its options, then "What does this mean?" if it has help. */
export function suggestedActionsFor(reply: Reply): CardAction[] {
  if (!isQuestion(reply)) {
    return [];
  }
  const options = optionsOf(reply).slice(0, MAX_SUGGESTED_ACTIONS);
  return [...options.map((o) => imBack(o.label)), ...(reply.help ? [imBack(HELP_ACTION)] : [])];
}

/** Options beyond the button limit, numbered so they can be typed (the engine reads numbers). */
function overflowList(reply: Reply): string {
  const options = optionsOf(reply);
  if (options.length <= MAX_SUGGESTED_ACTIONS) {
    return '';
  }
  return `\n\n${options.map((o, i) => `${i + 1}. ${escapeMarkdown(o.label)}`).join('\n')}`;
}

/**
 * One message activity per reply. Only the last activity carries suggested actions (clients
 * hide them as soon as another activity arrives), taken from the last question of the turn.
 */
export function renderReplies(replies: readonly Reply[]): Partial<Activity>[] {
  const lastQuestion = [...replies].reverse().find(isQuestion);
  const actions = lastQuestion ? suggestedActionsFor(lastQuestion) : [];
  return replies.map((reply, i) => {
    const last = i === replies.length - 1;
    const activity: Partial<Activity> = {
      type: ActivityTypes.Message,
      text: renderText(reply) + (reply === lastQuestion ? overflowList(reply) : ''),
      textFormat: TextFormatTypes.Markdown,
      // Lets voice-capable clients (and Web Chat's speech) know whether to open the microphone.
      inputHint: last && lastQuestion ? InputHints.ExpectingInput : InputHints.AcceptingInput,
    };
    if (last && actions.length > 0) {
      // An empty `to` shows the actions to everyone in the chat (Web Chat's documented default).
      activity.suggestedActions = { to: [], actions };
    }
    return activity;
  });
}
