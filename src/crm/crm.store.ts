import type { LookupKind } from './keys.js';

export type { LookupKind } from './keys.js';

/**
 * The CRM's storage port. Stores hold opaque sealed strings and keyed hashes: they never see
 * personal data in clear, so encryption is the service's concern and the adapters stay small.
 *
 * Writes that can race (two channels of one patient, two first contacts with one NHS number)
 * are compare-and-set, so a lost update is a retry in the service rather than silent data loss.
 * Sealed values are unique (random IV), which makes comparing them by value exact.
 */
export interface CrmStore {
  /** The sealed profile, or undefined. */
  getProfile(patientId: string): Promise<string | undefined>;
  /**
   * Writes the sealed profile if the stored one is still `expected` (undefined: only if there is
   * none yet). False when someone else wrote first.
   */
  putProfile(patientId: string, sealed: string, expected: string | undefined): Promise<boolean>;

  /** The patient id a lookup hash points at, or undefined. */
  findLookup(kind: LookupKind, hash: string): Promise<string | undefined>;
  /**
   * Points the lookup at `patientId` if it currently points at `expected` (undefined: only if
   * free). False when it points elsewhere.
   */
  swapLookup(
    kind: LookupKind,
    hash: string,
    expected: string | undefined,
    patientId: string,
  ): Promise<boolean>;
  /** Removes the lookup only if it points at `patientId`, so one patient never unlinks another. */
  releaseLookup(kind: LookupKind, hash: string, patientId: string): Promise<boolean>;

  /**
   * Adds a sealed interaction at the head (newest first), keeps at most `maxLength` entries and
   * lets the whole list expire `ttlSeconds` after the last write.
   */
  pushInteraction(
    patientId: string,
    sealed: string,
    limits: { maxLength: number; ttlSeconds: number },
  ): Promise<void>;
  /** Sealed interactions, newest first. */
  listInteractions(patientId: string): Promise<string[]>;
  /** Removes these exact entries (by value), e.g. those past retention. */
  removeInteractions(patientId: string, sealed: readonly string[]): Promise<void>;
  /** Removes every interaction of the patient. */
  clearInteractions(patientId: string): Promise<void>;

  /** Removes the profile and the interactions; true if either existed. Lookups are separate. */
  deletePatient(patientId: string): Promise<boolean>;
  /** The store answers (readiness). Never throws. */
  ping(): Promise<boolean>;
}
