/**
 * Events a compiled pathway machine accepts: one answer to the current question. Channels never
 * build these; `interpretAnswer` turns a patient's words (or a button id) into one.
 */
export type PathwayEvent =
  | { type: 'answer.yes' }
  | { type: 'answer.no' }
  | { type: 'answer.unsure' }
  | { type: 'answer.option'; option: string }
  | { type: 'answer.number'; value: number; shown?: string };
