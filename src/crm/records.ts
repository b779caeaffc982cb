import { z } from 'zod';
import type { DataCipher } from './cipher.js';
import {
  interactionSchema,
  profileSchema,
  type Interaction,
  type PatientProfile,
} from './types.js';

/**
 * How records look at rest: JSON with a format version, sealed by the cipher. Reading is
 * defensive: a value that does not decrypt, is not JSON, fails the schema, or belongs to another
 * patient (a blob copied between keys) is treated as absent rather than crashing a conversation.
 */

const storedProfileSchema = z.object({ v: z.literal(1), profile: profileSchema });
const storedInteractionSchema = z.object({
  v: z.literal(1),
  patientId: z.string(),
  interaction: interactionSchema,
});

function open<T>(cipher: DataCipher, sealed: string, schema: z.ZodType<T>): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(cipher.decrypt(sealed));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export function sealProfile(cipher: DataCipher, profile: PatientProfile): string {
  return cipher.encrypt(JSON.stringify({ v: 1, profile }));
}

export function openProfile(
  cipher: DataCipher,
  patientId: string,
  sealed: string,
): PatientProfile | undefined {
  const stored = open(cipher, sealed, storedProfileSchema);
  return stored?.profile.id === patientId ? stored.profile : undefined;
}

export function sealInteraction(
  cipher: DataCipher,
  patientId: string,
  interaction: Interaction,
): string {
  return cipher.encrypt(JSON.stringify({ v: 1, patientId, interaction }));
}

export function openInteraction(
  cipher: DataCipher,
  patientId: string,
  sealed: string,
): Interaction | undefined {
  const stored = open(cipher, sealed, storedInteractionSchema);
  return stored?.patientId === patientId ? stored.interaction : undefined;
}
