import { AppError } from '../shared/index.js';

/**
 * Every Redis key of the CRM, built here and nowhere else.
 *
 * - `<prefix>:crm:{p:<id>}:profile` and `…:interactions` share the hash tag `{p:<id>}`, so a
 *   Redis Cluster keeps one patient's keys in one slot and a multi-key DEL of them is allowed.
 * - `<prefix>:crm:lookup:<kind>:<hash>` → patient id. The hash is a keyed HMAC: no key ever
 *   contains an NHS number or a phone number in clear.
 */

export type LookupKind = 'nhs' | 'phone';

// Ids come from newId() (UUIDs); anything with braces or colons would break the key layout.
const PATIENT_ID = /^[A-Za-z0-9-]{1,64}$/;
const LOOKUP_HASH = /^[0-9a-f]{64}$/;

export function isPatientId(value: string): boolean {
  return PATIENT_ID.test(value);
}

export interface CrmKeys {
  profile(patientId: string): string;
  interactions(patientId: string): string;
  lookup(kind: LookupKind, hash: string): string;
}

export function crmKeys(prefix: string): CrmKeys {
  if (!/^[^{}\s]+$/.test(prefix)) {
    // A brace in the prefix would become the hash tag and put every patient in one slot.
    throw new AppError('config-invalid', 'the Redis key prefix must not contain braces or spaces');
  }
  const patient = (id: string): string => {
    if (!isPatientId(id)) {
      throw new AppError('invalid-input', 'not a patient id');
    }
    return `${prefix}:crm:{p:${id}}`;
  };
  return {
    profile: (id) => `${patient(id)}:profile`,
    interactions: (id) => `${patient(id)}:interactions`,
    lookup: (kind, hash) => {
      if (!LOOKUP_HASH.test(hash)) {
        // Refusing anything but a hex digest keeps clear personal data out of key names.
        throw new AppError('invalid-input', 'a lookup key takes a hex digest, not a raw value');
      }
      return `${prefix}:crm:lookup:${kind}:${hash}`;
    },
  };
}
