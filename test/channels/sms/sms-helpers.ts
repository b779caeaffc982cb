import express from 'express';
import { Writable } from 'node:stream';
import request from 'supertest';
import twilio from 'twilio';
import { expect } from 'vitest';
import { smsRouter } from '../../../src/channels/sms/router.js';
import type { ConversationEngine, ConversationStore } from '../../../src/flows/index.js';
import { createLogger, type Logger } from '../../../src/shared/index.js';
import { buildTestApp, testConfig } from '../../helpers/app.js';

/** Builders for the SMS channel tests: a signed Twilio webhook and its TwiML read back. */

export const AUTH_TOKEN = 'test-twilio-auth-token';
export const PUBLIC_BASE_URL = 'https://111.example.nhs.uk';

/** Numbers from Ofcom's drama range: UK mobiles that are never anyone's. */
let nextNumber = 100;
export function aMobile(): string {
  nextNumber += 1;
  return `+447700900${String(nextNumber).padStart(3, '0')}`;
}

let nextSid = 0;
export function aMessageSid(): string {
  nextSid += 1;
  return `SM${nextSid.toString(16).padStart(32, '0')}`;
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A real pino logger whose lines are kept for assertions. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') {
          lines.push(JSON.parse(line) as LogLine);
        }
      }
      callback();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

export interface SmsApp {
  app: express.Express;
  engine: ConversationEngine;
  logs: LogLine[];
}

/** The real engine (bundled pathways, memory stores) behind the SMS router, signatures checked. */
export function buildSmsApp(
  options: { env?: Record<string, string>; store?: ConversationStore; withoutToken?: boolean } = {},
): SmsApp {
  const env: Record<string, string> = {
    ...(options.withoutToken ? {} : { TWILIO_AUTH_TOKEN: AUTH_TOKEN }),
    PUBLIC_BASE_URL,
    ...options.env,
  };
  const built = buildTestApp({ env, ...(options.store ? { store: options.store } : {}) });
  const config = testConfig(env);
  const { logger, lines } = capturingLogger();
  const app = express();
  app.use(
    smsRouter({
      engine: built.engine,
      twilio: config.twilio,
      publicBaseUrl: config.publicBaseUrl,
      logger,
    }),
  );
  return { app, engine: built.engine, logs: lines };
}

export type Signing = 'signed' | 'forged' | 'missing';

export interface InboundFields {
  From: string;
  Body: string;
  MessageSid?: string;
  [key: string]: string | undefined;
}

/** Twilio's POST to /twilio/sms, with the signature Twilio would send (or a wrong or no one). */
export function postSms(
  app: express.Express,
  fields: InboundFields,
  signing: Signing = 'signed',
  path = '/twilio/sms',
): request.Test {
  const params: Record<string, string> = {
    AccountSid: `AC${'a'.repeat(32)}`,
    To: '+447700900999',
    NumMedia: '0',
    MessageSid: fields.MessageSid ?? aMessageSid(),
  };
  for (const [k, v] of Object.entries(fields)) {
    if (v !== undefined) {
      params[k] = v;
    }
  }
  const req = request(app).post(path).type('form').send(params);
  if (signing === 'signed') {
    req.set(
      'X-Twilio-Signature',
      twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_BASE_URL + path, params),
    );
  } else if (signing === 'forged') {
    req.set(
      'X-Twilio-Signature',
      twilio.getExpectedTwilioSignature('not-the-token', PUBLIC_BASE_URL + path, params),
    );
  }
  return req;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&apos;': "'",
};

/**
 * The <Message> texts of a TwiML answer. The whole document must be exactly one <Response>
 * holding one or more <Message> elements and nothing else.
 */
export function messagesOf(twiml: string): string[] {
  const match =
    /^<\?xml version="1\.0" encoding="UTF-8"\?><Response>((?:<Message>[^<]*<\/Message>)+)<\/Response>$/.exec(
      twiml,
    );
  expect(match, `not a <Response> of <Message> elements: ${twiml}`).not.toBeNull();
  const inner = match?.[1] ?? '';
  return [...inner.matchAll(/<Message>([^<]*)<\/Message>/g)].map((m) =>
    (m[1] ?? '').replace(/&(amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e),
  );
}

export interface SmsTurn {
  status: number;
  messages: string[];
  text: string;
}

/** One signed SMS, answered: 200 text/xml and its messages. */
export async function sms(
  app: express.Express,
  from: string,
  body: string,
  messageSid?: string,
): Promise<SmsTurn> {
  const res = await postSms(app, {
    From: from,
    Body: body,
    ...(messageSid ? { MessageSid: messageSid } : {}),
  });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/xml/);
  const messages = messagesOf(res.text);
  return { status: res.status, messages, text: messages.join('\n\n') };
}

/** Several messages from one number, in order; the last answer is returned. */
export async function smsAll(
  app: express.Express,
  from: string,
  ...bodies: string[]
): Promise<SmsTurn> {
  let last: SmsTurn = { status: 0, messages: [], text: '' };
  for (const body of bodies) {
    last = await sms(app, from, body);
  }
  return last;
}

/** The welcome's opening words: its presence means a new conversation started. */
export const WELCOME_START = "Welcome. I'll ask you some questions";
