import { randomUUID } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { botFrameworkRouter } from '../../../src/channels/botframework/router.js';
import type { BotEngine } from '../../../src/channels/botframework/bot.js';
import type { Config } from '../../../src/config.js';
import { createLogger, type Logger } from '../../../src/shared/index.js';
import { testConfig } from '../../helpers/app.js';

/**
 * Builders for real Bot Framework activities, as the Emulator sends them, and a small app
 * around the channel's router (the lead wires it into src/app.ts).
 */

export interface CardActionJson {
  type: string;
  title: string;
  value: unknown;
}

/** An activity as the bot sends it back (the JSON the connector or the HTTP body carries). */
export interface SentActivity {
  type: string;
  text?: string;
  textFormat?: string;
  inputHint?: string;
  replyToId?: string;
  suggestedActions?: { to?: string[]; actions: CardActionJson[] };
}

/** A port nothing listens on: expectReplies never calls the connector. */
export const NO_CONNECTOR = 'http://127.0.0.1:9';

export interface ActivityOptions {
  conversationId?: string;
  id?: string;
  serviceUrl?: string;
  /** 'normal': replies are posted to serviceUrl instead of coming back in the response. */
  delivery?: 'expectReplies' | 'normal';
  value?: unknown;
}

export function aMessage(text: string | undefined, options: ActivityOptions = {}): object {
  return {
    type: 'message',
    id: options.id ?? randomUUID(),
    channelId: 'emulator',
    serviceUrl: options.serviceUrl ?? NO_CONNECTOR,
    timestamp: new Date().toISOString(),
    conversation: { id: options.conversationId ?? randomUUID() },
    from: { id: 'user-1', name: 'Patient', role: 'user' },
    recipient: { id: 'bot-1', name: '111 bot', role: 'bot' },
    locale: 'en-GB',
    ...(text !== undefined ? { text } : {}),
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.delivery === 'normal' ? {} : { deliveryMode: 'expectReplies' }),
  };
}

/** The Emulator's conversationUpdate when a chat opens: the bot and the user join. */
export function aMembersAdded(conversationId: string, memberIds: string[]): object {
  return {
    type: 'conversationUpdate',
    id: randomUUID(),
    channelId: 'emulator',
    serviceUrl: NO_CONNECTOR,
    conversation: { id: conversationId },
    from: { id: 'user-1', name: 'Patient' },
    recipient: { id: 'bot-1', name: '111 bot' },
    membersAdded: memberIds.map((id) => ({ id, name: id })),
    deliveryMode: 'expectReplies',
  };
}

export function botApp(options: {
  engine: BotEngine;
  botFramework?: Config['botFramework'];
  logger?: Logger;
}): express.Express {
  return express().use(
    botFrameworkRouter({
      engine: options.engine,
      botFramework: options.botFramework ?? testConfig().botFramework,
      logger: options.logger ?? createLogger('silent'),
    }),
  );
}

/** Posts an expectReplies activity and returns the activities of the HTTP response body. */
export async function post(app: express.Express, activity: object): Promise<SentActivity[]> {
  const res = await request(app).post('/api/messages').send(activity).expect(200);
  const body = res.body as { activities?: SentActivity[] };
  if (!Array.isArray(body.activities)) {
    throw new Error(`expected { activities: [...] }, got ${JSON.stringify(res.body)}`);
  }
  return body.activities;
}

export interface Chat {
  conversationId: string;
  say(text: string, options?: Omit<ActivityOptions, 'conversationId'>): Promise<SentActivity[]>;
  /** A messageBack (or card submit): a value, with or without text. */
  tap(value: unknown, text?: string): Promise<SentActivity[]>;
}

/** A conversation with the bot over expectReplies: each say() is one user activity. */
export function aChat(app: express.Express, conversationId: string = randomUUID()): Chat {
  return {
    conversationId,
    say: (text: string, options: Omit<ActivityOptions, 'conversationId'> = {}) =>
      post(app, aMessage(text, { ...options, conversationId })),
    tap: (value: unknown, text?: string) => post(app, aMessage(text, { conversationId, value })),
  };
}

export function actionsOf(activities: readonly SentActivity[]): CardActionJson[] {
  return activities.at(-1)?.suggestedActions?.actions ?? [];
}

export function allText(activities: readonly SentActivity[]): string {
  return activities.map((a) => a.text ?? '').join('\n');
}
