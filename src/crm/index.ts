/**
 * The CRM's public API: patient profiles, preferences, flags, consent, interaction history and
 * erasure over a store port. It knows nothing of channels, flows, triage or booking. Other
 * folders import from here only (enforced by lint).
 */
export { createDataCipher, parseEncryptionKey, type DataCipher } from './cipher.js';
export {
  createCrmService,
  type CrmService,
  type CrmServiceOptions,
  type PatientFlag,
  type ProfilePatch,
} from './crm.service.js';
export type { CrmStore, LookupKind } from './crm.store.js';
export { MemoryCrmStore } from './crm.store.memory.js';
export { RedisCrmStore } from './crm.store.redis.js';
export { ageInYears, isValidDateOfBirth } from './date-of-birth.js';
export { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from './nhs-number.js';
export { normaliseUkMobile } from './phone.js';
export {
  CHANNELS,
  type Channel,
  type Consent,
  type IdentifyFailure,
  type IdentifyResult,
  type Interaction,
  type PatientFlags,
  type PatientProfile,
  type Preferences,
  type Sex,
} from './types.js';
