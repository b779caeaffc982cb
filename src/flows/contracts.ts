import { z } from 'zod';

/**
 * What crosses between channels and the conversation engine. Channels parse their own wire
 * format into an InboundMessage and render Reply[] back; they never look inside a pathway.
 */

export const CHANNELS = ['web', 'sms', 'voice', 'botframework', 'terminal'] as const;
export type Channel = (typeof CHANNELS)[number];

export const MAX_TEXT = 1000;

export const InboundMessageSchema = z.object({
  channel: z.enum(CHANNELS),
  conversationId: z.string().min(1).max(128),
  text: z.string().max(MAX_TEXT).optional(),
  optionId: z.string().min(1).max(100).optional(),
  /** Phone number or other address of the sender, where the channel knows it. */
  sender: z.string().max(64).optional(),
  receivedAt: z.date().optional(),
  /** Twilio MessageSid, Bot Framework activity id: a retried webhook is not applied twice. */
  idempotencyKey: z.string().min(1).max(200).optional(),
  /** How sure speech recognition is of the text, 0 to 1 (voice only). */
  confidence: z.number().min(0).max(1).optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;

export const REPLY_KINDS = [
  'question',
  'statement',
  'emergency',
  'outcome',
  'booking-offer',
  'booking-confirmed',
  'error',
] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

export const EXPECTS = ['yes-no', 'choice', 'number', 'text', 'none'] as const;
export type Expects = (typeof EXPECTS)[number];

export interface ReplyOption {
  id: string;
  label: string;
  synonyms?: string[];
}

export interface ReplyDisposition {
  code: string;
  category: 'emergency' | 'urgent' | 'non-urgent' | 'self-care';
  rank: number;
  service: string;
  timeframe?: string;
  label: string;
  reasons: string[];
}

/** A channel-neutral reply; each channel renders it its own way. */
export interface Reply {
  kind: ReplyKind;
  text: string;
  options?: ReplyOption[];
  expects: Expects;
  disposition?: ReplyDisposition;
  /** A shorter wording for voice, where the written one is long. */
  voice?: string;
  /** "What does this mean?" text for the question. */
  help?: string;
}

export interface TranscriptEntry {
  from: 'patient' | 'service';
  text: string;
  at: string;
}

export type ConversationStatus = 'active' | 'emergency' | 'ended';
