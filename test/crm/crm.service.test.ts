import { describe, expect, test } from 'vitest';
import { MemoryCrmStore, type CrmStore, type ProfilePatch } from '../../src/crm/index.js';
import {
  aConsentingPatient,
  aCrm,
  anInteraction,
  aPatient,
  DAY_MS,
  DOB,
  HOUR_MS,
  MOBILE,
  MOBILE_E164,
  NHS_NUMBER,
  OTHER_NHS_NUMBER,
  START,
  type TestCrm,
} from './builders.js';

const at = (msAfterStart: number): string =>
  new Date(new Date(START).getTime() + msAfterStart).toISOString();

describe('CrmService', () => {
  describe('identifyByNhsNumber', () => {
    test('when the NHS number is new, then a patient is created and stored', async () => {
      const { service } = aCrm();

      const result = await service.identifyByNhsNumber('943 476 5919', DOB);

      expect(result).toMatchObject({ ok: true, created: true });
      if (!result.ok) {
        return;
      }
      const { id, ...profile } = result.patient;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(profile).toEqual({
        nhsNumber: NHS_NUMBER,
        dateOfBirth: DOB,
        preferences: {},
        flags: { fastTrack: false, smsOptOut: false },
        createdAt: START,
        updatedAt: START,
      });
      expect(await service.get(result.patient.id)).toEqual(result.patient);
    });

    test('when the same number and date of birth come again, then the same patient is found', async () => {
      const { service, clock } = aCrm();
      const id = await aPatient(service);
      clock.advance(DAY_MS);

      const result = await service.identifyByNhsNumber('943-476-5919', DOB);

      expect(result).toMatchObject({ ok: true, created: false, patient: { id } });
    });

    test('when the date of birth differs from the stored one, then it is a mismatch and reveals nothing', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);
      await service.update(id, { name: 'Alex Smith' });

      const result = await service.identifyByNhsNumber(NHS_NUMBER, '1981-03-14');

      expect(result).toEqual({ ok: false, reason: 'date-of-birth-mismatch' });
      expect((await service.get(id))?.dateOfBirth).toBe(DOB);
    });

    test.each([
      ['9434765918', 'a wrong check digit'],
      ['4934765919', 'swapped digits'],
      ['943476591', 'nine digits'],
      ['', 'nothing'],
    ])('when the NHS number is %j (%s), then it is invalid-nhs-number', async (nhs) => {
      const { service } = aCrm();
      expect(await service.identifyByNhsNumber(nhs, DOB)).toEqual({
        ok: false,
        reason: 'invalid-nhs-number',
      });
    });

    test.each([
      ['14/03/1980', 'the UK written form'],
      ['1980-02-30', 'a day that does not exist'],
      ['2025-06-16', 'tomorrow'],
      ['', 'nothing'],
    ])('when the date of birth is %j (%s), then it is invalid-date-of-birth', async (dob) => {
      const { service } = aCrm();
      expect(await service.identifyByNhsNumber(NHS_NUMBER, dob)).toEqual({
        ok: false,
        reason: 'invalid-date-of-birth',
      });
    });

    test('when two NHS numbers are identified, then they are two patients', async () => {
      const { service } = aCrm();
      expect(await aPatient(service, NHS_NUMBER)).not.toBe(
        await aPatient(service, OTHER_NHS_NUMBER),
      );
    });

    test('when two first contacts with one NHS number race, then exactly one patient is created', async () => {
      const { service } = aCrm();

      const results = await Promise.all([
        service.identifyByNhsNumber(NHS_NUMBER, DOB),
        service.identifyByNhsNumber(NHS_NUMBER, DOB),
        service.identifyByNhsNumber(NHS_NUMBER, DOB),
      ]);

      const ids = new Set(results.map((r) => (r.ok ? r.patient.id : r.reason)));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    });

    test('when a patient is stored, then the stored record holds no NHS number or date of birth in clear', async () => {
      const { service, store } = aCrm();
      const id = await aPatient(service);

      const raw = await store.getProfile(id);

      expect(raw).toMatch(/^v1\./);
      expect(raw).not.toContain(NHS_NUMBER);
      expect(raw).not.toContain(DOB);
    });
  });

  describe('identifyByPhone', () => {
    test('when the mobile is new, then a patient is created with the number in E.164', async () => {
      const { service } = aCrm();

      const result = await service.identifyByPhone(MOBILE);

      expect(result).toMatchObject({ ok: true, created: true, patient: { phone: MOBILE_E164 } });
    });

    test('when the same mobile is written another way, then the same patient is found', async () => {
      const { service } = aCrm();
      const first = await service.identifyByPhone(MOBILE);

      const again = await service.identifyByPhone('+44 (0)7700 900123');

      expect(first.ok && again.ok && again.patient.id === first.patient.id).toBe(true);
      expect(again).toMatchObject({ ok: true, created: false });
    });

    test.each([['020 7946 0000'], ['07012 345678'], ['not a number']])(
      'when the number is %j, then it is invalid-phone',
      async (phone) => {
        const { service } = aCrm();
        expect(await service.identifyByPhone(phone)).toEqual({
          ok: false,
          reason: 'invalid-phone',
        });
      },
    );
  });

  describe('get', () => {
    test.each([['no-such-patient'], ['a}b'], ['']])(
      'when the id is %j, then there is no patient',
      async (id) => {
        const { service } = aCrm();
        expect(await service.get(id)).toBeUndefined();
      },
    );
  });

  describe('update', () => {
    test('when fields are changed, then they are stored and updatedAt moves', async () => {
      const { service, clock } = aCrm();
      const id = await aPatient(service);
      clock.advance(HOUR_MS);

      const updated = await service.update(id, { name: '  Alex Smith ', sex: 'female' });

      expect(updated).toMatchObject({ name: 'Alex Smith', sex: 'female', updatedAt: at(HOUR_MS) });
      expect(updated?.createdAt).toBe(START);
      expect(await service.get(id)).toEqual(updated);
    });

    test('when a field is left undefined, then it is kept; an empty name clears the name', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);
      await service.update(id, { name: 'Alex', sex: 'male' });

      const updated = await service.update(id, { name: '', sex: undefined });

      expect(updated?.name).toBeUndefined();
      expect(updated?.sex).toBe('male');
    });

    test('when the phone is set, then it is stored in E.164 and finds the patient', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);

      const updated = await service.update(id, { phone: MOBILE });

      expect(updated?.phone).toBe(MOBILE_E164);
      expect(await service.identifyByPhone(MOBILE_E164)).toMatchObject({
        ok: true,
        created: false,
        patient: { id },
      });
    });

    test('when the phone changes, then the old number no longer finds the patient', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);
      await service.update(id, { phone: MOBILE });

      await service.update(id, { phone: '07700 900456' });

      const old = await service.identifyByPhone(MOBILE);
      expect(old).toMatchObject({ ok: true, created: true });
      expect(old.ok && old.patient.id).not.toBe(id);
    });

    test('when the phone is already held by another patient, then the first holder keeps the lookup', async () => {
      const { service } = aCrm();
      const holder = await service.identifyByPhone(MOBILE);
      const other = await aPatient(service);

      const updated = await service.update(other, { phone: MOBILE });

      expect(updated?.phone).toBe(MOBILE_E164);
      const found = await service.identifyByPhone(MOBILE);
      expect(holder.ok && found.ok && found.patient.id === holder.patient.id).toBe(true);
    });

    test.each<[ProfilePatch, string]>([
      [{ phone: '020 7946 0000' }, 'a landline'],
      [{ dateOfBirth: '2030-01-01' }, 'a future date of birth'],
      [{ sex: 'other' as never }, 'an unknown sex'],
    ])('when the patch has %o (%s), then it is refused as invalid-input', async (patch) => {
      const { service } = aCrm();
      const id = await aPatient(service);

      await expect(service.update(id, patch)).rejects.toMatchObject({ code: 'invalid-input' });
    });

    test('when the patient does not exist, then update gives undefined', async () => {
      const { service } = aCrm();
      expect(await service.update('no-such-patient', { name: 'X' })).toBeUndefined();
    });
  });

  describe('preferences, consent and flags', () => {
    test('when preferences are set in two steps, then they are merged', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);

      await service.setPreferences(id, { channel: 'sms', language: 'cy' });
      const updated = await service.setPreferences(id, {
        accessibility: ['large-text'],
        language: undefined,
      });

      expect(updated?.preferences).toEqual({
        channel: 'sms',
        language: 'cy',
        accessibility: ['large-text'],
      });
    });

    test('when a preference is not valid, then it is refused as invalid-input', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);

      await expect(service.setPreferences(id, { channel: 'fax' as never })).rejects.toMatchObject({
        code: 'invalid-input',
      });
    });

    test('when consent is given, then it is stored with its time', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);

      const updated = await service.setConsent(id, true);

      expect(updated?.consent).toEqual({ keepRecord: true, at: START });
    });

    test.each([['fastTrack'], ['smsOptOut']] as const)(
      'when the %s flag is set and cleared, then the profile follows',
      async (flag) => {
        const { service } = aCrm();
        const id = await aPatient(service);

        expect((await service.setFlag(id, flag, true))?.flags[flag]).toBe(true);
        expect((await service.get(id))?.flags[flag]).toBe(true);
        expect((await service.setFlag(id, flag, false))?.flags[flag]).toBe(false);
      },
    );

    test('when the fast-track flag is set, then the other flag is untouched', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);
      await service.setFlag(id, 'smsOptOut', true);

      const updated = await service.setFlag(id, 'fastTrack', true);

      expect(updated?.flags).toEqual({ fastTrack: true, smsOptOut: true });
    });

    test.each([
      ['setPreferences', (s: ReturnType<typeof aCrm>['service']) => s.setPreferences('nobody', {})],
      ['setConsent', (s: ReturnType<typeof aCrm>['service']) => s.setConsent('nobody', true)],
      [
        'setFlag',
        (s: ReturnType<typeof aCrm>['service']) => s.setFlag('nobody', 'fastTrack', true),
      ],
    ])('when %s is called for an unknown patient, then it gives undefined', async (_name, call) => {
      const { service } = aCrm();
      expect(await call(service)).toBeUndefined();
    });
  });

  describe('recordInteraction and history', () => {
    test('when the patient has not answered the consent question, then nothing is recorded', async () => {
      const { service, store } = aCrm();
      const id = await aPatient(service);

      await service.recordInteraction(id, anInteraction());

      expect(await service.history(id)).toEqual([]);
      expect(await store.listInteractions(id)).toEqual([]);
    });

    test('when the patient declined a record, then nothing is recorded', async () => {
      const { service } = aCrm();
      const id = await aPatient(service);
      await service.setConsent(id, false);

      await service.recordInteraction(id, anInteraction());

      expect(await service.history(id)).toEqual([]);
    });

    test('when the patient consented, then the interaction is kept, sealed', async () => {
      const { service, store } = aCrm();
      const id = await aConsentingPatient(service);

      await service.recordInteraction(id, anInteraction());

      expect(await service.history(id)).toEqual([anInteraction()]);
      const [raw] = await store.listInteractions(id);
      expect(raw).toMatch(/^v1\./);
      expect(raw).not.toContain('headache');
    });

    test('when the patient does not exist, then recording is a no-op', async () => {
      const { service, store } = aCrm();

      await service.recordInteraction('no-such-patient', anInteraction());

      expect(await store.listInteractions('no-such-patient')).toEqual([]);
    });

    test('when an interaction is malformed, then it is refused as invalid-input', async () => {
      const { service } = aCrm();
      const id = await aConsentingPatient(service);

      await expect(
        service.recordInteraction(id, anInteraction({ channel: 'pigeon' as never })),
      ).rejects.toMatchObject({ code: 'invalid-input' });
    });

    test('when consent is withdrawn, then the history kept so far is deleted', async () => {
      const { service, store } = aCrm();
      const id = await aConsentingPatient(service);
      await service.recordInteraction(id, anInteraction());

      await service.setConsent(id, false);

      expect(await service.history(id)).toEqual([]);
      expect(await store.listInteractions(id)).toEqual([]);
    });

    test.each([
      ['the patient is erased', (crm: TestCrm, id: string) => crm.service.erase(id)],
      ['consent is withdrawn', (crm: TestCrm, id: string) => crm.service.setConsent(id, false)],
    ])(
      'when %s while an interaction is being written, then the entry does not survive',
      async (_what, interfere) => {
        const store = new MemoryCrmStore();
        const crm = aCrm({ store });
        const id = await aConsentingPatient(crm.service);
        const push = store.pushInteraction.bind(store);
        store.pushInteraction = async (...args) => {
          await interfere(crm, id);
          await push(...args);
        };

        await crm.service.recordInteraction(id, anInteraction());

        expect(await store.listInteractions(id)).toEqual([]);
      },
    );

    test('when several interactions are kept, then history is newest first by their time', async () => {
      const { service, clock } = aCrm();
      const id = await aConsentingPatient(service);
      clock.advance(3 * HOUR_MS);
      // Written out of order: the second write is the oldest contact.
      await service.recordInteraction(id, anInteraction({ conversationId: 'b', at: at(HOUR_MS) }));
      await service.recordInteraction(id, anInteraction({ conversationId: 'a', at: at(0) }));
      await service.recordInteraction(
        id,
        anInteraction({ conversationId: 'c', at: at(2 * HOUR_MS) }),
      );

      const all = await service.history(id);

      expect(all.map((i) => i.conversationId)).toEqual(['c', 'b', 'a']);
    });

    test.each([
      [1, ['c']],
      [2, ['c', 'b']],
      [10, ['c', 'b', 'a']],
      [0, []],
    ])('when history is asked with limit %i, then it gives %j', async (limit, expected) => {
      const { service, clock } = aCrm();
      const id = await aConsentingPatient(service);
      for (const conversationId of ['a', 'b', 'c']) {
        await service.recordInteraction(
          id,
          anInteraction({ conversationId, at: clock.now().toISOString() }),
        );
        clock.advance(HOUR_MS);
      }

      const recent = await service.history(id, limit);

      expect(recent.map((i) => i.conversationId)).toEqual(expected);
    });

    test('when more than maxInteractions are recorded, then only the newest are kept', async () => {
      const { service, store, clock } = aCrm({ maxInteractions: 2 });
      const id = await aConsentingPatient(service);
      for (const conversationId of ['a', 'b', 'c']) {
        await service.recordInteraction(
          id,
          anInteraction({ conversationId, at: clock.now().toISOString() }),
        );
        clock.advance(HOUR_MS);
      }

      expect((await service.history(id)).map((i) => i.conversationId)).toEqual(['c', 'b']);
      expect(await store.listInteractions(id)).toHaveLength(2);
    });
  });

  describe('retention', () => {
    test('when an interaction is older than retentionDays, then history does not return it', async () => {
      const { service, clock } = aCrm({ retentionDays: 30 });
      const id = await aConsentingPatient(service);
      await service.recordInteraction(id, anInteraction());

      clock.advance(29 * DAY_MS);
      expect(await service.history(id)).toHaveLength(1);
      clock.advance(2 * DAY_MS);
      expect(await service.history(id)).toEqual([]);
    });

    test('when a new interaction is recorded, then those past retention are trimmed from the store', async () => {
      const { service, store, clock } = aCrm({ retentionDays: 30 });
      const id = await aConsentingPatient(service);
      await service.recordInteraction(id, anInteraction({ conversationId: 'old' }));
      clock.advance(20 * DAY_MS);
      await service.recordInteraction(
        id,
        anInteraction({ conversationId: 'mid', at: at(20 * DAY_MS) }),
      );
      clock.advance(11 * DAY_MS);

      await service.recordInteraction(
        id,
        anInteraction({ conversationId: 'new', at: at(31 * DAY_MS) }),
      );

      expect(await store.listInteractions(id)).toHaveLength(2);
      expect((await service.history(id)).map((i) => i.conversationId)).toEqual(['new', 'mid']);
    });

    test('when an interaction is already past retention, then it is not stored at all', async () => {
      const { service, store } = aCrm({ retentionDays: 30 });
      const id = await aConsentingPatient(service);

      await service.recordInteraction(id, anInteraction({ at: at(-31 * DAY_MS) }));

      expect(await store.listInteractions(id)).toEqual([]);
    });

    test('when nothing is written for retentionDays, then the list expires (TTL)', async () => {
      const { service, store, clock } = aCrm({ retentionDays: 30 });
      const id = await aConsentingPatient(service);
      await service.recordInteraction(id, anInteraction());

      clock.advance(30 * DAY_MS);

      expect(await store.listInteractions(id)).toEqual([]);
    });

    test.each([[0], [-1], [1.5]])(
      'when retentionDays is %d, then creating the service fails as config-invalid',
      (retentionDays) => {
        expect(() => aCrm({ retentionDays })).toThrow(
          expect.objectContaining({ code: 'config-invalid' }),
        );
      },
    );
  });

  describe('recentSameProblem', () => {
    async function aPatientSeenForHeadache(): Promise<ReturnType<typeof aCrm> & { id: string }> {
      const crm = aCrm();
      const id = await aConsentingPatient(crm.service);
      await crm.service.recordInteraction(id, anInteraction());
      return { ...crm, id };
    }

    test('when the same pathway was used 71 hours ago, then it is found', async () => {
      const { service, clock, id } = await aPatientSeenForHeadache();
      clock.advance(71 * HOUR_MS);

      expect(await service.recentSameProblem(id, 'headache')).toEqual(anInteraction());
    });

    test('when the same pathway was used 73 hours ago, then it is not recent', async () => {
      const { service, clock, id } = await aPatientSeenForHeadache();
      clock.advance(73 * HOUR_MS);

      expect(await service.recentSameProblem(id, 'headache')).toBeUndefined();
    });

    test('when only a different pathway was used, then nothing is found', async () => {
      const { service, clock, id } = await aPatientSeenForHeadache();
      clock.advance(HOUR_MS);

      expect(await service.recentSameProblem(id, 'chest-pain')).toBeUndefined();
    });

    test('when a shorter window is given, then it is used', async () => {
      const { service, clock, id } = await aPatientSeenForHeadache();
      clock.advance(25 * HOUR_MS);

      expect(await service.recentSameProblem(id, 'headache', 24)).toBeUndefined();
      expect(await service.recentSameProblem(id, 'headache', 48)).toBeDefined();
    });

    test('when the pathway was used twice, then the newest is returned', async () => {
      const { service, clock, id } = await aPatientSeenForHeadache();
      clock.advance(HOUR_MS);
      await service.recordInteraction(
        id,
        anInteraction({ conversationId: 'later', at: at(HOUR_MS) }),
      );

      expect((await service.recentSameProblem(id, 'headache'))?.conversationId).toBe('later');
    });
  });

  describe('erase', () => {
    async function aKnownPatient(): Promise<ReturnType<typeof aCrm> & { id: string }> {
      const crm = aCrm();
      const id = await aConsentingPatient(crm.service);
      await crm.service.update(id, { phone: MOBILE, name: 'Alex Smith' });
      await crm.service.recordInteraction(id, anInteraction());
      return { ...crm, id };
    }

    test('when a patient is erased, then their profile and history are gone', async () => {
      const { service, store, id } = await aKnownPatient();

      expect(await service.erase(id)).toBe(true);

      expect(await service.get(id)).toBeUndefined();
      expect(await service.history(id)).toEqual([]);
      expect(await store.getProfile(id)).toBeUndefined();
      expect(await store.listInteractions(id)).toEqual([]);
    });

    test('when a patient is erased, then neither NHS number nor phone finds them again', async () => {
      const { service, store, cipher, id } = await aKnownPatient();

      await service.erase(id);

      expect(await store.findLookup('nhs', cipher.lookupHash('nhs', NHS_NUMBER))).toBeUndefined();
      expect(
        await store.findLookup('phone', cipher.lookupHash('phone', MOBILE_E164)),
      ).toBeUndefined();
      const byNhs = await service.identifyByNhsNumber(NHS_NUMBER, DOB);
      const byPhone = await service.identifyByPhone(MOBILE);
      expect(byNhs).toMatchObject({ ok: true, created: true });
      expect(byPhone).toMatchObject({ ok: true, created: true });
      expect(byNhs.ok && byNhs.patient.id).not.toBe(id);
    });

    test('when an erased patient is erased again, then it reports false', async () => {
      const { service, id } = await aKnownPatient();
      await service.erase(id);

      expect(await service.erase(id)).toBe(false);
    });

    test('when a patient whose phone is held by someone else is erased, then that lookup stays', async () => {
      const { service } = aCrm();
      const holder = await service.identifyByPhone(MOBILE);
      const other = await aPatient(service);
      await service.update(other, { phone: MOBILE });

      await service.erase(other);

      const found = await service.identifyByPhone(MOBILE);
      expect(holder.ok && found.ok && found.patient.id === holder.patient.id).toBe(true);
    });

    test('when an erased patient is updated or recorded afterwards, then nothing comes back', async () => {
      const { service, store, id } = await aKnownPatient();
      await service.erase(id);

      expect(await service.update(id, { name: 'Late write' })).toBeUndefined();
      await service.recordInteraction(id, anInteraction());
      expect(await store.getProfile(id)).toBeUndefined();
      expect(await store.listInteractions(id)).toEqual([]);
    });
  });

  describe('corrupt or foreign stored records', () => {
    async function corrupt(store: CrmStore, id: string, value: string): Promise<void> {
      const raw = await store.getProfile(id);
      await store.putProfile(id, value, raw);
    }

    test.each([
      ['not sealed at all', (): string => 'garbage'],
      [
        'a sealed value that is not JSON',
        (c: ReturnType<typeof aCrm>['cipher']): string => c.encrypt('{'),
      ],
      [
        'sealed JSON that fails the schema',
        (c: ReturnType<typeof aCrm>['cipher']): string =>
          c.encrypt(JSON.stringify({ v: 1, profile: { id: 'x', nhsNumber: 12 } })),
      ],
      [
        'a record from a future format',
        (c: ReturnType<typeof aCrm>['cipher']): string => c.encrypt(JSON.stringify({ v: 2 })),
      ],
    ])(
      'when the stored profile is %s, then the patient is treated as absent',
      async (_what, make) => {
        const { service, store, cipher } = aCrm();
        const id = await aPatient(service);
        await corrupt(store, id, make(cipher));

        expect(await service.get(id)).toBeUndefined();
        expect(await service.update(id, { name: 'X' })).toBeUndefined();
        expect(await service.setFlag(id, 'fastTrack', true)).toBeUndefined();
      },
    );

    test('when the stored profile is corrupt, then identifying creates a fresh patient without crashing', async () => {
      const { service, store } = aCrm();
      const id = await aPatient(service);
      await corrupt(store, id, 'garbage');

      const result = await service.identifyByNhsNumber(NHS_NUMBER, DOB);

      expect(result).toMatchObject({ ok: true, created: true });
      expect(result.ok && result.patient.id).not.toBe(id);
      expect(await aPatient(service)).toBe(result.ok && result.patient.id);
    });

    test('when one patient record is copied under another id, then it is not accepted', async () => {
      const { service, store } = aCrm();
      const a = await aPatient(service, NHS_NUMBER);
      const b = await aPatient(service, OTHER_NHS_NUMBER);

      await corrupt(store, b, (await store.getProfile(a))!);

      expect(await service.get(b)).toBeUndefined();
    });

    test('when an interaction entry is corrupt, then history skips it and the next write trims it', async () => {
      const { service, store } = aCrm();
      const id = await aConsentingPatient(service);
      await service.recordInteraction(id, anInteraction({ conversationId: 'good' }));
      await store.pushInteraction(id, 'garbage', { maxLength: 100, ttlSeconds: 3600 });

      expect((await service.history(id)).map((i) => i.conversationId)).toEqual(['good']);

      await service.recordInteraction(id, anInteraction({ conversationId: 'next' }));
      expect(await store.listInteractions(id)).not.toContain('garbage');
    });
  });

  describe('ping', () => {
    test('when the store answers, then ping is true', async () => {
      expect(await aCrm().service.ping()).toBe(true);
    });

    test('when the store throws, then ping is false rather than an error', async () => {
      const store = new MemoryCrmStore();
      store.ping = () => Promise.reject(new Error('connection lost'));

      expect(await aCrm({ store }).service.ping()).toBe(false);
    });
  });
});
