import { AppError, newId, systemClock, type Clock } from '../shared/index.js';
import type { DataCipher } from './cipher.js';
import type { CrmStore, LookupKind } from './crm.store.js';
import { isValidDateOfBirth } from './date-of-birth.js';
import { isPatientId } from './keys.js';
import { normaliseNhsNumber } from './nhs-number.js';
import { normaliseUkMobile } from './phone.js';
import { openInteraction, openProfile, sealInteraction, sealProfile } from './records.js';
import {
  interactionSchema,
  preferencesSchema,
  SEXES,
  type IdentifyResult,
  type Interaction,
  type PatientProfile,
  type Preferences,
} from './types.js';

export type ProfilePatch = Partial<Pick<PatientProfile, 'name' | 'sex' | 'dateOfBirth' | 'phone'>>;
export type PatientFlag = 'fastTrack' | 'smsOptOut';

export interface CrmService {
  /** Finds or creates the patient with this NHS number; the date of birth must match. */
  identifyByNhsNumber(nhsNumber: string, dateOfBirth: string): Promise<IdentifyResult>;
  /** Finds or creates the patient with this UK mobile (any common UK form; stored as E.164). */
  identifyByPhone(phone: string): Promise<IdentifyResult>;
  get(patientId: string): Promise<PatientProfile | undefined>;
  /**
   * Changes the given fields; an undefined field is left as it is and an empty name clears the
   * name. A phone that is not a UK mobile, or a date of birth that is not a real past date, is a
   * caller bug (validate first with normaliseUkMobile / ageInYears): AppError 'invalid-input'.
   */
  update(patientId: string, patch: ProfilePatch): Promise<PatientProfile | undefined>;
  /** Merges: fields given replace the stored ones, fields left out are kept. */
  setPreferences(patientId: string, prefs: Preferences): Promise<PatientProfile | undefined>;
  /** Withdrawing consent (false) also deletes the interaction history kept so far. */
  setConsent(patientId: string, keepRecord: boolean): Promise<PatientProfile | undefined>;
  setFlag(
    patientId: string,
    flag: PatientFlag,
    value: boolean,
  ): Promise<PatientProfile | undefined>;
  /** A no-op unless the patient exists and consented to keeping a record. */
  recordInteraction(patientId: string, interaction: Interaction): Promise<void>;
  /** Newest first, only within retention; all of them when no limit is given. */
  history(patientId: string, limit?: number): Promise<Interaction[]>;
  /** The newest interaction on the same pathway within `withinHours` of now (default 72). */
  recentSameProblem(
    patientId: string,
    pathwayId: string,
    withinHours?: number,
  ): Promise<Interaction | undefined>;
  /** Removes profile, history and lookup entries; true if there was anything to remove. */
  erase(patientId: string): Promise<boolean>;
  /** The store answers (for /readyz). */
  ping(): Promise<boolean>;
}

export interface CrmServiceOptions {
  store: CrmStore;
  cipher: DataCipher;
  clock?: Clock;
  /** Interactions older than this are neither returned nor kept. Default 365. */
  retentionDays?: number;
  /** The interaction list is trimmed to this many entries. Default 100. */
  maxInteractions?: number;
}

const DEFAULT_RETENTION_DAYS = 365;
const DEFAULT_MAX_INTERACTIONS = 100;
const DEFAULT_RECENT_HOURS = 72;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
// Compare-and-set retries; more than a handful of conflicting writers to one patient is a bug.
const MAX_ATTEMPTS = 5;
const MAX_NAME_LENGTH = 200;

interface Loaded {
  /** The sealed value as stored, for compare-and-set. */
  raw: string;
  profile: PatientProfile;
}

function requirePositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new AppError('config-invalid', `${name} must be a positive whole number`);
  }
  return value;
}

function conflict(): AppError {
  return new AppError('internal', 'the patient record kept changing; the write was abandoned');
}

/** The fields that were given: `{ language: undefined }` must not wipe a stored language. */
function withoutUndefined<T extends object>(value: T): Partial<T> {
  const given: Partial<T> = {};
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] !== undefined) {
      given[key] = value[key];
    }
  }
  return given;
}

function timeOf(interaction: Interaction): number {
  return Date.parse(interaction.at);
}

export function createCrmService(options: CrmServiceOptions): CrmService {
  const { store, cipher } = options;
  const clock = options.clock ?? systemClock;
  const retentionDays = requirePositiveInteger(
    'retentionDays',
    options.retentionDays ?? DEFAULT_RETENTION_DAYS,
  );
  const maxInteractions = requirePositiveInteger(
    'maxInteractions',
    options.maxInteractions ?? DEFAULT_MAX_INTERACTIONS,
  );
  const retentionCutoff = (): number => clock.now().getTime() - retentionDays * DAY_MS;

  async function load(patientId: string): Promise<Loaded | undefined> {
    if (!isPatientId(patientId)) {
      return undefined;
    }
    const raw = await store.getProfile(patientId);
    const profile = raw === undefined ? undefined : openProfile(cipher, patientId, raw);
    return raw !== undefined && profile ? { raw, profile } : undefined;
  }

  /** Read, change, compare-and-set; retried when another writer got there first. */
  async function mutate(
    patientId: string,
    change: (current: PatientProfile) => PatientProfile,
  ): Promise<{ before: PatientProfile; after: PatientProfile } | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const current = await load(patientId);
      if (!current) {
        return undefined;
      }
      const after = { ...change(current.profile), updatedAt: clock.now().toISOString() };
      if (await store.putProfile(patientId, sealProfile(cipher, after), current.raw)) {
        return { before: current.profile, after };
      }
    }
    throw conflict();
  }

  function newProfile(
    seed: Pick<PatientProfile, 'nhsNumber' | 'dateOfBirth' | 'phone'>,
  ): PatientProfile {
    const now = clock.now().toISOString();
    return {
      id: newId(),
      ...seed,
      preferences: {},
      flags: { fastTrack: false, smsOptOut: false },
      createdAt: now,
      updatedAt: now,
    };
  }

  /**
   * Finds the patient a lookup points at, or creates one. A lookup whose record is gone,
   * unreadable or no longer carries the value is stale and is taken over. When two first
   * contacts race, the lookup's compare-and-set picks one winner and the loser's new record
   * is removed before trying again.
   */
  async function findOrCreate(
    kind: LookupKind,
    value: string,
    seed: Pick<PatientProfile, 'nhsNumber' | 'dateOfBirth' | 'phone'>,
    onFound: (patient: PatientProfile) => IdentifyResult,
  ): Promise<IdentifyResult> {
    const hash = cipher.lookupHash(kind, value);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const owner = await store.findLookup(kind, hash);
      const existing = owner === undefined ? undefined : await load(owner);
      const held = kind === 'nhs' ? existing?.profile.nhsNumber : existing?.profile.phone;
      if (existing && held === value) {
        return onFound(existing.profile);
      }
      const patient = newProfile(seed);
      if (!(await store.putProfile(patient.id, sealProfile(cipher, patient), undefined))) {
        continue;
      }
      if (await store.swapLookup(kind, hash, owner, patient.id)) {
        return { ok: true, patient, created: true };
      }
      await store.deletePatient(patient.id);
    }
    throw conflict();
  }

  /** Points the lookup at the patient unless another patient already holds it (first wins). */
  async function claim(kind: LookupKind, value: string, patientId: string): Promise<void> {
    await store.swapLookup(kind, cipher.lookupHash(kind, value), undefined, patientId);
  }

  async function release(
    kind: LookupKind,
    value: string | undefined,
    patientId: string,
  ): Promise<boolean> {
    return value === undefined
      ? false
      : store.releaseLookup(kind, cipher.lookupHash(kind, value), patientId);
  }

  function checkedPatch(patch: ProfilePatch): ProfilePatch {
    const checked: ProfilePatch = {};
    if (patch.name !== undefined) {
      checked.name = patch.name.trim().slice(0, MAX_NAME_LENGTH);
    }
    if (patch.sex !== undefined) {
      if (!SEXES.includes(patch.sex)) {
        throw new AppError('invalid-input', 'sex must be female or male');
      }
      checked.sex = patch.sex;
    }
    if (patch.dateOfBirth !== undefined) {
      if (!isValidDateOfBirth(patch.dateOfBirth, clock.now())) {
        throw new AppError('invalid-input', 'date of birth must be a past date, YYYY-MM-DD');
      }
      checked.dateOfBirth = patch.dateOfBirth;
    }
    if (patch.phone !== undefined) {
      const phone = normaliseUkMobile(patch.phone);
      if (phone === undefined) {
        throw new AppError('invalid-input', 'phone must be a UK mobile number');
      }
      checked.phone = phone;
    }
    return checked;
  }

  /** Readable interactions within retention, newest first, each with its sealed form. */
  async function readInteractions(
    patientId: string,
  ): Promise<{ kept: { sealed: string; interaction: Interaction }[]; dropped: string[] }> {
    const cutoff = retentionCutoff();
    const kept: { sealed: string; interaction: Interaction }[] = [];
    const dropped: string[] = [];
    for (const sealed of await store.listInteractions(patientId)) {
      const interaction = openInteraction(cipher, patientId, sealed);
      if (interaction && timeOf(interaction) >= cutoff) {
        kept.push({ sealed, interaction });
      } else {
        dropped.push(sealed);
      }
    }
    // The list is in write order; sort by the time of the contact itself.
    kept.sort((a, b) => timeOf(b.interaction) - timeOf(a.interaction));
    return { kept, dropped };
  }

  async function history(patientId: string, limit?: number): Promise<Interaction[]> {
    if (!isPatientId(patientId) || (limit !== undefined && limit <= 0)) {
      return [];
    }
    const { kept } = await readInteractions(patientId);
    return kept.slice(0, limit).map((entry) => entry.interaction);
  }

  return {
    async identifyByNhsNumber(nhsNumber, dateOfBirth) {
      const nhs = normaliseNhsNumber(nhsNumber);
      if (nhs === undefined) {
        return { ok: false, reason: 'invalid-nhs-number' };
      }
      const dob = dateOfBirth.trim();
      if (!isValidDateOfBirth(dob, clock.now())) {
        return { ok: false, reason: 'invalid-date-of-birth' };
      }
      // A record without a date of birth cannot be confirmed either, so it is a mismatch too;
      // the result says nothing else about the person who holds the number.
      return findOrCreate('nhs', nhs, { nhsNumber: nhs, dateOfBirth: dob }, (patient) =>
        patient.dateOfBirth === dob
          ? { ok: true, patient, created: false }
          : { ok: false, reason: 'date-of-birth-mismatch' },
      );
    },

    async identifyByPhone(phone) {
      const e164 = normaliseUkMobile(phone);
      if (e164 === undefined) {
        return { ok: false, reason: 'invalid-phone' };
      }
      return findOrCreate('phone', e164, { phone: e164 }, (patient) => ({
        ok: true,
        patient,
        created: false,
      }));
    },

    async get(patientId) {
      return (await load(patientId))?.profile;
    },

    async update(patientId, patch) {
      const checked = checkedPatch(patch);
      const result = await mutate(patientId, (current) => {
        const next: PatientProfile = { ...current, ...checked };
        if (next.name === '') {
          delete next.name;
        }
        return next;
      });
      if (result && result.before.phone !== result.after.phone) {
        if (result.after.phone !== undefined) {
          await claim('phone', result.after.phone, patientId);
        }
        await release('phone', result.before.phone, patientId);
      }
      return result?.after;
    },

    async setPreferences(patientId, prefs) {
      const parsed = preferencesSchema.safeParse(prefs);
      if (!parsed.success) {
        throw new AppError('invalid-input', 'preferences are not valid', { cause: parsed.error });
      }
      const given = withoutUndefined(parsed.data);
      const result = await mutate(patientId, (current) => ({
        ...current,
        preferences: { ...current.preferences, ...given },
      }));
      return result?.after;
    },

    async setConsent(patientId, keepRecord) {
      const result = await mutate(patientId, (current) => ({
        ...current,
        consent: { keepRecord, at: clock.now().toISOString() },
      }));
      if (result && !keepRecord) {
        await store.clearInteractions(patientId);
      }
      return result?.after;
    },

    async setFlag(patientId, flag, value) {
      const result = await mutate(patientId, (current) => ({
        ...current,
        flags: { ...current.flags, [flag]: value },
      }));
      return result?.after;
    },

    async recordInteraction(patientId, interaction) {
      const parsed = interactionSchema.safeParse(interaction);
      if (!parsed.success) {
        throw new AppError('invalid-input', 'interaction is not valid', { cause: parsed.error });
      }
      const current = await load(patientId);
      if (current?.profile.consent?.keepRecord !== true) {
        return;
      }
      if (timeOf(parsed.data) < retentionCutoff()) {
        return;
      }
      await store.pushInteraction(patientId, sealInteraction(cipher, patientId, parsed.data), {
        maxLength: maxInteractions,
        ttlSeconds: retentionDays * (DAY_MS / 1000),
      });
      // Erasure or a withdrawn consent may have landed between the check and the push; the
      // record must not outlive either, so look again and undo.
      const after = await load(patientId);
      if (after?.profile.consent?.keepRecord !== true) {
        await store.clearInteractions(patientId);
        return;
      }
      // Trim by age on write, so nothing past retention outlives the next visit.
      const { dropped } = await readInteractions(patientId);
      await store.removeInteractions(patientId, dropped);
    },

    history,

    async recentSameProblem(patientId, pathwayId, withinHours = DEFAULT_RECENT_HOURS) {
      const since = clock.now().getTime() - withinHours * HOUR_MS;
      const recent = await history(patientId);
      return recent.find((i) => i.pathway?.id === pathwayId && timeOf(i) >= since);
    },

    async erase(patientId) {
      if (!isPatientId(patientId)) {
        return false;
      }
      // Lookups first: if we stop half-way, the profile is still there to find them again.
      // An unreadable profile cannot name its lookups; those go stale and are taken over later.
      const current = await load(patientId);
      const releasedNhs = await release('nhs', current?.profile.nhsNumber, patientId);
      const releasedPhone = await release('phone', current?.profile.phone, patientId);
      const deleted = await store.deletePatient(patientId);
      return deleted || releasedNhs || releasedPhone;
    },

    async ping() {
      try {
        return await store.ping();
      } catch {
        return false;
      }
    },
  };
}
