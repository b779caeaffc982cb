import { z } from 'zod';

/** The four-level scale used in published triage studies (api-contract.md). */
export const CATEGORIES = ['emergency', 'urgent', 'non-urgent', 'self-care'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Service types of the API contract; a directory of services resolves them to places. */
export const SERVICE_TYPES = [
  'ambulance',
  'emergency-department',
  'urgent-treatment-centre',
  'gp',
  'gp-out-of-hours',
  'clinician-callback',
  'pharmacy',
  'dental',
  'optometrist',
  'mental-health-crisis',
  'maternity',
  'sexual-health',
  'self-care',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

const Text = z.string().trim().min(1);

export const DispositionSchema = z
  .strictObject({
    code: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]*$/, 'disposition codes are UPPER_SNAKE, starting with a letter')
      .describe('Stable identifier, used in pathway files as dx.<CODE>.'),
    rank: z
      .int()
      .min(1)
      .describe('Urgency order: 1 is the most urgent. Dispositions may share a rank.'),
    category: z.enum(CATEGORIES),
    service: z.enum(SERVICE_TYPES),
    timeframe: z
      .string()
      .regex(
        /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/,
        'an ISO 8601 duration such as PT1H or P3D',
      )
      .optional()
      .describe('How soon the patient must reach the service, from the end of the conversation.'),
    label: Text.describe('The instruction in a few words: "Go to A&E now".'),
    howSoon: Text.describe(
      'The time frame in everyday words: "now", "today", "within a few days".',
    ),
    wording: Text.describe('What the patient reads: what to do and how.'),
    safetyNet: Text.describe(
      'When to get help sooner, and what to do if the service cannot be reached.',
    ),
    escalatesTo: z
      .string()
      .optional()
      .describe('The disposition one step more urgent, used when this one cannot be met in time.'),
  })
  .describe('One disposition on the ordered urgency scale.');
export type Disposition = z.infer<typeof DispositionSchema>;

export const DispositionFileSchema = z.strictObject({
  version: z.int().min(1),
  sources: z.array(z.strictObject({ title: Text, url: z.url(), read: z.iso.date() })).min(1),
  dispositions: z.array(DispositionSchema).min(1),
});
export type DispositionFile = z.infer<typeof DispositionFileSchema>;

/**
 * The ordered urgency scale. Ranks are compared, never codes: two dispositions of the same rank
 * are equally urgent (A&E within an hour and the mental health crisis line "now", say).
 */
export class DispositionScale {
  readonly #byCode: ReadonlyMap<string, Disposition>;

  constructor(dispositions: readonly Disposition[]) {
    this.#byCode = new Map(dispositions.map((d) => [d.code, d]));
  }

  get codes(): string[] {
    return [...this.#byCode.keys()];
  }

  get all(): Disposition[] {
    return [...this.#byCode.values()].sort((a, b) => a.rank - b.rank);
  }

  has(code: string): boolean {
    return this.#byCode.has(code);
  }

  /** Throws on an unknown code: callers hold codes that the checks have already resolved. */
  get(code: string): Disposition {
    const found = this.#byCode.get(code);
    if (!found) {
      throw new Error(`Unknown disposition code ${code}`);
    }
    return found;
  }

  /** Negative when a is more urgent than b, zero when equally urgent. */
  compare(a: string, b: string): number {
    return this.get(a).rank - this.get(b).rank;
  }

  isMoreUrgent(a: string, b: string): boolean {
    return this.compare(a, b) < 0;
  }

  /**
   * The more urgent of the two. Urgency only ever moves up: a later, milder answer never lowers
   * a disposition already reached. On a tie the current one stands.
   */
  raiseOnly(current: string, proposed: string): string {
    return this.isMoreUrgent(proposed, current) ? proposed : current;
  }

  /** One step up the scale as the clinical data says, or undefined at the top. */
  escalate(code: string): string | undefined {
    return this.get(code).escalatesTo;
  }

  isLowUrgency(code: string): boolean {
    const { category } = this.get(code);
    return category === 'self-care' || category === 'non-urgent';
  }
}

/** Scale-level rules: escalation goes to a known, more urgent code. Returns messages per code. */
export function checkScale(
  scale: DispositionScale,
): { code: string; message: string; fix: string }[] {
  const problems: { code: string; message: string; fix: string }[] = [];
  for (const d of scale.all) {
    if (d.escalatesTo === undefined) {
      continue;
    }
    if (!scale.has(d.escalatesTo)) {
      problems.push({
        code: d.code,
        message: `${d.code} escalates to unknown disposition ${d.escalatesTo}`,
        fix: `use one of ${scale.codes.join(', ')}`,
      });
    } else if (!scale.isMoreUrgent(d.escalatesTo, d.code)) {
      problems.push({
        code: d.code,
        message: `${d.code} escalates to ${d.escalatesTo}, which is not more urgent`,
        fix: 'escalate to a disposition with a lower rank number',
      });
    }
  }
  return problems;
}
