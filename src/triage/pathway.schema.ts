import { z } from 'zod';

/**
 * The pathway file format. This schema is the single source of truth: the loader validates with
 * it, `pathway.schema.json` is generated from it for editors, and the types below are inferred
 * from it. Descriptions are written for clinical authors; they show up as editor tooltips.
 */

const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const Text = z.string().trim().min(1);

export const NodeIdSchema = z
  .string()
  .regex(kebab, 'node ids are kebab-case: lower-case words joined by hyphens')
  .describe('A question or outcome id, in kebab-case.');

export const TargetSchema = z
  .string()
  .min(1)
  .describe('Where this answer goes: a node id of this pathway, or dx.<CODE> for a disposition.');

const Because = Text.describe(
  'Why this answer matters, in words a patient and a clinician can read. Shown with the outcome.',
);

/** An answer route: either just the target, or the target and the reason it is shown. */
export const RouteSchema = z.union([
  TargetSchema,
  z.strictObject({ next: TargetSchema, because: Because.optional() }),
]);
export type Route = z.infer<typeof RouteSchema>;

const questionFields = {
  ask: Text.describe('The question as the patient reads it on the web and in SMS.'),
  voice: Text.optional().describe('A shorter wording for the phone, if the written one is long.'),
  help: Text.optional().describe('"What does this mean?": a plain explanation of the question.'),
  redFlag: z
    .boolean()
    .default(false)
    .describe(
      'A red-flag question screens for danger. Every route to a self-care or non-urgent outcome must ask it.',
    ),
  unsure: RouteSchema.optional().describe(
    'Where "I don\'t know" goes. If left out it follows the answer that can reach the most urgent outcome.',
  ),
};

export const YesNoNodeSchema = z
  .strictObject({
    type: z.literal('yes-no'),
    ...questionFields,
    yes: RouteSchema,
    no: RouteSchema,
  })
  .describe('A question answered yes or no.');

export const ChoiceOptionSchema = z.strictObject({
  id: z
    .string()
    .regex(kebab, 'option ids are kebab-case')
    .refine((id) => id !== 'unsure', "'unsure' is reserved for \"don't know\""),
  label: Text.describe('The option as shown to the patient.'),
  synonyms: z
    .array(Text)
    .default([])
    .describe('Other words patients use for this option, including common misspellings.'),
  next: TargetSchema,
  because: Because.optional(),
});

export const ChoiceNodeSchema = z
  .strictObject({
    type: z.literal('choice'),
    ...questionFields,
    profile: z
      .literal('sex')
      .optional()
      .describe(
        "This question asks the patient's sex; it is answered from their profile when known.",
      ),
    options: z.array(ChoiceOptionSchema).min(2),
  })
  .describe('A question with a list of answers; the patient picks one.');

export const UNITS = [
  'celsius',
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'count',
] as const;
export type Unit = (typeof UNITS)[number];

export const NumberRangeSchema = z.strictObject({
  from: z
    .number()
    .optional()
    .describe('Lowest value in the range (included). Absent: no lower limit.'),
  below: z
    .number()
    .optional()
    .describe('Values must be below this (excluded). Absent: no upper limit.'),
  next: TargetSchema,
  because: Because.optional(),
});
export type NumberRange = z.infer<typeof NumberRangeSchema>;

export const NumberNodeSchema = z
  .strictObject({
    type: z.literal('number'),
    ...questionFields,
    unit: z
      .enum(UNITS)
      .describe(
        'The unit the ranges are written in. Answers in other units are converted (°F to °C, weeks to days).',
      ),
    profile: z
      .literal('age')
      .optional()
      .describe(
        "This question asks the patient's age; it is answered from their profile when known.",
      ),
    valid: z
      .strictObject({ min: z.number(), max: z.number() })
      .optional()
      .describe('Answers outside these bounds are asked again. Defaults depend on the unit.'),
    ranges: z.array(NumberRangeSchema).min(1),
  })
  .describe('A question answered with a number: a temperature, an age, a duration.');

export const OutcomeNodeSchema = z
  .strictObject({
    type: z.literal('outcome'),
    disposition: z.string().describe('A disposition code from data/dispositions.yaml.'),
    advice: Text.optional().describe('Care advice for this pathway: what to do meanwhile.'),
    safetyNet: Text.optional().describe('Pathway-specific signs that mean getting help sooner.'),
  })
  .describe("An end point: the disposition plus this pathway's own advice.");

export const NodeSchema = z.discriminatedUnion('type', [
  YesNoNodeSchema,
  ChoiceNodeSchema,
  NumberNodeSchema,
  OutcomeNodeSchema,
]);

export const SourceSchema = z.strictObject({
  title: Text,
  url: z.url(),
  read: z.iso.date().describe('The date the page was read, YYYY-MM-DD.'),
});

export const PathwaySchema = z
  .strictObject({
    id: z.string().regex(kebab, 'pathway ids are kebab-case').describe('Equal to the file name.'),
    version: z
      .int()
      .min(1)
      .describe(
        'Goes up by one on every clinical change. Conversations keep the version they began with.',
      ),
    title: Text,
    summary: Text.optional().describe('One line on who and what this pathway is for.'),
    complaint: z
      .array(Text)
      .min(1)
      .describe('The words patients use for this problem, including common misspellings.'),
    applies: z
      .strictObject({
        age: z
          .strictObject({
            from: z.number().min(0).optional().describe('Youngest age in years (included).'),
            below: z.number().positive().optional().describe('Ages must be below this, in years.'),
          })
          .optional(),
        sex: z.enum(['female', 'male']).optional(),
      })
      .default({})
      .describe('Who this pathway is for. Absent means everyone.'),
    sources: z
      .array(SourceSchema)
      .min(1)
      .describe('Public NHS or NICE pages this pathway is written from.'),
    changelog: z
      .array(z.strictObject({ version: z.int().min(1), date: z.iso.date(), change: Text }))
      .min(1)
      .describe('One plain entry per version.'),
    start: NodeIdSchema.describe('The first question.'),
    nodes: z.record(NodeIdSchema, NodeSchema).describe('Questions and outcomes, by id.'),
  })
  .describe('A clinical triage pathway for one presenting complaint.');

export type Pathway = z.infer<typeof PathwaySchema>;
export type PathwayNode = z.infer<typeof NodeSchema>;
export type YesNoNode = z.infer<typeof YesNoNodeSchema>;
export type ChoiceNode = z.infer<typeof ChoiceNodeSchema>;
export type NumberNode = z.infer<typeof NumberNodeSchema>;
export type OutcomeNode = z.infer<typeof OutcomeNodeSchema>;
export type QuestionNode = YesNoNode | ChoiceNode | NumberNode;

/** The JSON Schema editors use to autocomplete pathway files (see `npm run schema:export`). */
export function pathwayJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(PathwaySchema, { io: 'input' }),
    title: 'Digital 111 triage pathway',
  };
}
