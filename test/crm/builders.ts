import { randomBytes } from 'node:crypto';
import {
  createCrmService,
  createDataCipher,
  MemoryCrmStore,
  type CrmService,
  type CrmServiceOptions,
  type CrmStore,
  type DataCipher,
  type Interaction,
} from '../../src/crm/index.js';
import { fixedClock } from '../../src/shared/index.js';

export const START = '2025-06-15T10:00:00.000Z';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Test data from the reference: a valid-checksum NHS number and an Ofcom drama mobile. */
export const NHS_NUMBER = '9434765919';
export const OTHER_NHS_NUMBER = '9990000018';
export const DOB = '1980-03-14';
export const MOBILE = '07700 900123';
export const MOBILE_E164 = '+447700900123';

export interface TestCrm {
  service: CrmService;
  store: CrmStore;
  cipher: DataCipher;
  clock: ReturnType<typeof fixedClock>;
}

/** A CRM service over the given store (memory by default), a fixed clock and a fresh key. */
export function aCrm(
  options: Partial<Pick<CrmServiceOptions, 'retentionDays' | 'maxInteractions'>> & {
    store?: CrmStore;
  } = {},
): TestCrm {
  const clock = fixedClock(START);
  const store = options.store ?? new MemoryCrmStore({ clock });
  const cipher = createDataCipher(randomBytes(32));
  const service = createCrmService({ ...options, store, cipher, clock });
  return { service, store, cipher, clock };
}

export function anInteraction(overrides: Partial<Interaction> = {}): Interaction {
  return {
    at: START,
    channel: 'web',
    conversationId: 'conv-1',
    pathway: { id: 'headache', version: 4, title: 'Headache' },
    answersSummary: ['Sudden worst headache: no', 'Fever with stiff neck or rash: no'],
    disposition: { code: 'SELF_CARE', category: 'self-care', label: 'Look after yourself at home' },
    ...overrides,
  };
}

/** Identifies a patient by NHS number and returns the id, failing the test if that fails. */
export async function aPatient(
  service: CrmService,
  nhsNumber = NHS_NUMBER,
  dateOfBirth = DOB,
): Promise<string> {
  const result = await service.identifyByNhsNumber(nhsNumber, dateOfBirth);
  if (!result.ok) {
    throw new Error(`test setup: identify failed (${result.reason})`);
  }
  return result.patient.id;
}

/** A patient who agreed to us keeping a record. */
export async function aConsentingPatient(service: CrmService): Promise<string> {
  const id = await aPatient(service);
  await service.setConsent(id, true);
  return id;
}
