import { createHash } from 'node:crypto';
import { ActivityHandler, type TurnContext } from 'botbuilder';
import {
  MAX_TEXT,
  type ConversationEngine,
  type InboundMessage,
  type Reply,
} from '../../flows/index.js';
import type { Logger } from '../../shared/index.js';
import { renderReplies } from './render.js';

/**
 * Activities in, engine turns out: a message becomes engine.handle, the first message of a
 * conversation starts it, a member joining is welcomed. No clinical decision is made here; the
 * engine recognises commands and red flags in every message.
 */

/** The engine calls this channel makes; a ConversationEngine is one (tests pass fakes of it). */
export type BotEngine = Pick<ConversationEngine, 'handle' | 'start' | 'view' | 'interrupts'>;

const CHANNEL = 'botframework';

/** Longest idempotency key the engine accepts; activity ids are far shorter in practice. */
const MAX_KEY = 200;
/** Option ids the engine accepts (InboundMessageSchema). */
const MAX_OPTION_ID = 100;

/** A first message that is only this says nothing about the problem, so it is not passed on. */
const GREETING =
  /^(hi|hiya|hey|hello|hi there|hey there|hello there|good (morning|afternoon|evening)|start|get started|begin)$/;

const TOO_LONG: Reply = {
  kind: 'error',
  text: `Sorry, that message is too long for us to read. Please send it again in under ${MAX_TEXT.toLocaleString('en-GB')} characters. If you think this is an emergency, call 999 now.`,
  expects: 'none',
};

/**
 * The engine's conversation id for a Bot Framework conversation: stable across turns and
 * processes, within the engine's 128 characters (Teams ids can be longer), and not the raw
 * channel id, which ends up in logs and store keys. The channel id is part of it so two
 * channels can never share a conversation.
 */
export function conversationKey(activity: {
  channelId: string;
  conversation: { id: string };
}): string {
  const hash = createHash('sha256')
    .update(`${activity.channelId}\n${activity.conversation.id}`)
    .digest('hex');
  return `bf-${hash.slice(0, 40)}`;
}

export function isGreeting(text: string): boolean {
  const n = text
    .toLowerCase()
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return n === '' || GREETING.test(n);
}

type Input = Pick<InboundMessage, 'text' | 'optionId'>;

/**
 * Text as typed (or sent by an imBack tap), and an option id when a messageBack action or card
 * sends `value: { optionId }`. Anything else in `value` is ignored.
 */
export function readInput(activity: { text?: string; value?: unknown }): Input | 'too-long' {
  const text = typeof activity.text === 'string' ? activity.text.trim() : '';
  if (text.length > MAX_TEXT) {
    return 'too-long';
  }
  const value: unknown = activity.value;
  const optionId =
    typeof value === 'object' && value !== null && 'optionId' in value ? value.optionId : undefined;
  const validOption =
    typeof optionId === 'string' && optionId.length > 0 && optionId.length <= MAX_OPTION_ID;
  return {
    ...(text !== '' ? { text } : {}),
    ...(validOption ? { optionId } : {}),
  };
}

/**
 * The first turn's replies when the first message was passed on after the welcome. An
 * emergency answer comes alone and first: the welcome and the consent question would only
 * stand between the patient and the 999 instruction.
 */
export function firstTurnReplies(started: readonly Reply[], followUp: readonly Reply[]): Reply[] {
  if (followUp.some((r) => r.kind === 'emergency')) {
    return [...followUp];
  }
  return [...started, ...followUp];
}

export class TriageBot extends ActivityHandler {
  readonly #engine: BotEngine;
  readonly #logger: Logger;

  constructor(engine: BotEngine, logger: Logger) {
    super();
    this.#engine = engine;
    this.#logger = logger;
    this.onMessage(async (context, next) => {
      await this.#message(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      await this.#welcome(context);
      await next();
    });
  }

  async #message(context: TurnContext): Promise<void> {
    const { activity } = context;
    const input = readInput(activity);
    if (input === 'too-long') {
      await this.#send(context, [TOO_LONG]);
      return;
    }
    const conversationId = conversationKey(activity);
    const message: InboundMessage = {
      channel: CHANNEL,
      conversationId,
      ...input,
      ...(activity.id && activity.id.length <= MAX_KEY ? { idempotencyKey: activity.id } : {}),
    };
    const turn = await this.#engine.handle(message);
    if (!('notFound' in turn)) {
      await this.#send(context, turn.replies);
      return;
    }
    const started = await this.#startOnce(conversationId);
    if (!started) {
      // Another turn started it a moment ago (a welcome racing the first message).
      const again = await this.#engine.handle(message);
      if ('notFound' in again) {
        throw new Error('the conversation was started but cannot be found');
      }
      await this.#send(context, again.replies);
      return;
    }
    // Only an emergency or a command is passed on: anything else would answer the consent
    // question the patient has not yet seen (the engine decides which is which).
    if (
      input.optionId !== undefined ||
      isGreeting(input.text ?? '') ||
      !this.#engine.interrupts(input.text ?? '')
    ) {
      await this.#send(context, started);
      return;
    }
    // Anything else may be an emergency or a command: the engine must see it now.
    const followUp = await this.#engine.handle(message);
    await this.#send(
      context,
      'notFound' in followUp ? started : firstTurnReplies(started, followUp.replies),
    );
  }

  /** conversationUpdate: welcome a person (not the bot itself) joining a new conversation. */
  async #welcome(context: TurnContext): Promise<void> {
    const { activity } = context;
    const people = (activity.membersAdded ?? []).filter((m) => m.id !== activity.recipient.id);
    if (people.length === 0) {
      return;
    }
    const started = await this.#startOnce(conversationKey(activity));
    if (started) {
      await this.#send(context, started);
    }
  }

  /**
   * Starts the conversation unless it exists already, and returns its first replies; undefined
   * when it had been started (a repeated conversationUpdate, or two turns racing: the engine
   * refuses to start an id twice, and the loser carries on as an ordinary turn).
   */
  async #startOnce(conversationId: string): Promise<Reply[] | undefined> {
    if (await this.#engine.view(conversationId)) {
      return undefined;
    }
    try {
      const started = await this.#engine.start({ channel: CHANNEL, conversationId });
      return started.replies;
    } catch (err) {
      if (await this.#engine.view(conversationId)) {
        this.#logger.info({ conversationId }, 'conversation started by another turn');
        return undefined;
      }
      throw err;
    }
  }

  async #send(context: TurnContext, replies: readonly Reply[]): Promise<void> {
    if (replies.length > 0) {
      await context.sendActivities(renderReplies(replies));
    }
  }
}
