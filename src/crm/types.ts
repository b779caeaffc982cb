import { z } from 'zod';

/**
 * The CRM's vocabulary. Each public type has a zod schema beside it, because everything read back
 * from a store is untrusted (older builds, manual edits) and is parsed before use.
 */

export type Sex = 'female' | 'male';
export type Channel = 'web' | 'sms' | 'voice' | 'botframework' | 'terminal';

export interface Preferences {
  channel?: Channel;
  language?: string;
  accessibility?: string[];
}

export interface Consent {
  keepRecord: boolean;
  /** ISO timestamp of the answer. */
  at: string;
}

export interface PatientFlags {
  /** Greater needs: the engine may raise urgency (never lower it). */
  fastTrack: boolean;
  /** The patient asked for no texts. */
  smsOptOut: boolean;
}

export interface PatientProfile {
  id: string;
  /** Ten digits, no spaces. */
  nhsNumber?: string;
  /** YYYY-MM-DD. */
  dateOfBirth?: string;
  /** E.164, e.g. +447700900123. */
  phone?: string;
  name?: string;
  sex?: Sex;
  preferences: Preferences;
  flags: PatientFlags;
  consent?: Consent;
  createdAt: string;
  updatedAt: string;
}

export interface Interaction {
  at: string;
  channel: Channel;
  conversationId: string;
  pathway?: { id: string; version: number; title: string };
  /** Short "question: answer" lines. */
  answersSummary: string[];
  disposition?: { code: string; category: string; label: string };
}

export type IdentifyFailure =
  'invalid-nhs-number' | 'invalid-date-of-birth' | 'date-of-birth-mismatch' | 'invalid-phone';

export type IdentifyResult =
  { ok: true; patient: PatientProfile; created: boolean } | { ok: false; reason: IdentifyFailure };

export const CHANNELS = ['web', 'sms', 'voice', 'botframework', 'terminal'] as const;
export const SEXES = ['female', 'male'] as const;

const isoTimestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');

export const preferencesSchema = z.object({
  channel: z.enum(CHANNELS).optional(),
  language: z.string().min(1).max(35).optional(),
  accessibility: z.array(z.string().min(1).max(200)).max(20).optional(),
}) satisfies z.ZodType<Preferences>;

export const profileSchema = z.object({
  id: z.string().min(1),
  nhsNumber: z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
  dateOfBirth: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  phone: z
    .string()
    .regex(/^\+\d{8,15}$/)
    .optional(),
  name: z.string().optional(),
  sex: z.enum(SEXES).optional(),
  preferences: preferencesSchema,
  flags: z.object({ fastTrack: z.boolean(), smsOptOut: z.boolean() }),
  consent: z.object({ keepRecord: z.boolean(), at: isoTimestamp }).optional(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
}) satisfies z.ZodType<PatientProfile>;

export const interactionSchema = z.object({
  at: isoTimestamp,
  channel: z.enum(CHANNELS),
  conversationId: z.string().min(1),
  pathway: z
    .object({ id: z.string().min(1), version: z.number().int(), title: z.string() })
    .optional(),
  answersSummary: z.array(z.string()),
  disposition: z
    .object({ code: z.string().min(1), category: z.string(), label: z.string() })
    .optional(),
}) satisfies z.ZodType<Interaction>;
