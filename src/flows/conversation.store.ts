import { z } from 'zod';
import { CHANNELS, type Reply } from './contracts.js';
import type { PathwayRef } from './pathway-library.js';

/**
 * Where conversations live between turns. Nothing of a conversation stays in a process's
 * memory: every turn loads the record, applies one event and saves it back, guarded by a
 * revision number so two turns of one conversation never overwrite each other.
 */

export const ConversationRecordSchema = z.object({
  schema: z.literal(1),
  machineVersion: z.number().int(),
  id: z.string(),
  channel: z.enum(CHANNELS),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(['active', 'emergency', 'ended']),
  /** XState's persisted snapshot of the conversation machine. */
  snapshot: z.unknown(),
  transcript: z.array(
    z.object({ from: z.enum(['patient', 'service']), text: z.string(), at: z.string() }),
  ),
  pathway: z.object({ id: z.string(), version: z.number().int(), hash: z.string() }).optional(),
  disposition: z.string().optional(),
  patientId: z.string().optional(),
  /** Where the patient writes from (phone number), for channels that know it. */
  address: z.string().optional(),
  /** Speech heard with low confidence, waiting for the caller to confirm it. */
  pendingSpeech: z.string().optional(),
});
export type ConversationRecord = z.infer<typeof ConversationRecordSchema>;

export interface StoredConversation {
  /** Undefined when the stored data could not be read: the engine starts afresh, safely. */
  record: ConversationRecord | undefined;
  rev: number;
}

export interface Loaded {
  conversation?: StoredConversation;
  remembered?: Reply[];
}

export type SaveResult = { ok: true; rev: number } | { ok: false; reason: 'conflict' };

export interface ConversationStore {
  /** The conversation, and the replies remembered for an idempotency key, in one round trip. */
  load(
    id: string,
    idempotencyKey?: string,
  ): Promise<{ conversation?: StoredConversation; remembered?: Reply[] }>;
  /**
   * Saves when the stored revision is still `expectedRev` (0 for a new conversation), and
   * remembers the replies under the idempotency key, atomically.
   */
  save(
    record: ConversationRecord,
    expectedRev: number,
    remember?: { key: string; replies: Reply[] },
  ): Promise<SaveResult>;
  /** Keeps the definition a conversation pinned, for any process that continues it. */
  archivePathway(ref: PathwayRef, definition: unknown): Promise<void>;
  /** The conversation a channel address (a keyed hash of a phone number) is in, if any. */
  findByAddress(addressKey: string): Promise<string | undefined>;
  linkAddress(addressKey: string, conversationId: string): Promise<void>;
  /** Short codes that let a conversation move to another channel. */
  saveResumeCode(code: string, conversationId: string): Promise<void>;
  findByResumeCode(code: string): Promise<string | undefined>;
  loadPathway(ref: PathwayRef): Promise<unknown>;
  ping(): Promise<boolean>;
}

/** Parses stored JSON; anything unreadable is undefined, never an exception. */
export function parseRecord(json: string | null | undefined): ConversationRecord | undefined {
  if (!json) {
    return undefined;
  }
  try {
    const parsed = ConversationRecordSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function parseReplies(json: string | null | undefined): Reply[] | undefined {
  if (!json) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as Reply[]) : undefined;
  } catch {
    return undefined;
  }
}
