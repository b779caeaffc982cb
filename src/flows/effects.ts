/**
 * What the conversation machine asks the outside world to do. The machine stays pure: it adds
 * effects to its context, and the engine carries them out after the transition and sends the
 * results back as events, in the same turn.
 */
export type Effect =
  | { kind: 'identify-nhs'; nhsNumber: string; dateOfBirth: string }
  | { kind: 'identify-phone'; phone: string }
  | { kind: 'check-repeat'; patientId: string; pathwayId: string }
  | {
      kind: 'record-interaction';
      patientId: string;
      pathway?: { id: string; version: number; title: string };
      answersSummary: string[];
      disposition: { code: string; category: string; label: string };
    };

/** What the engine knows about an identified patient, as the machine needs it. */
export interface PatientSummary {
  id: string;
  age?: number | undefined;
  sex?: 'female' | 'male' | undefined;
  fastTrack: boolean;
  /** Their last interaction, if recent enough to ask about. */
  last?: { pathwayId: string; title: string; when: string } | undefined;
}

export type EffectResultEvent =
  | { type: 'crm.identified'; patient: PatientSummary }
  | { type: 'crm.not-identified' }
  | { type: 'crm.repeat'; when: string }
  | { type: 'crm.unavailable' };
