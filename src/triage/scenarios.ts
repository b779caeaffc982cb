import { z } from 'zod';
import { interpretAnswer } from './answers.js';
import type { CheckedPathway } from './bundle.js';
import { applyAnswer, currentNode, outcomeOf, startPathway } from './compile.js';
import { pathwayError, type PathwayError } from './errors.js';
import { outcomeCode, reachableFrom } from './graph.js';
import { loadYamlFile, type SourceMap } from './load.js';

/**
 * Scenario files (`data/pathways/<id>.test.yaml`): answers as a patient would type them, and the
 * outcome they must reach. They run through the same answer parser and compiled machine as a
 * real conversation, and together they must reach every outcome of the pathway.
 */

const Text = z.string().trim().min(1);

export const ScenarioSchema = z.strictObject({
  name: Text.describe('What the scenario shows, as a sentence.'),
  answers: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .describe('Replies in order, as a patient would type them: yes, no, 38.5, "3 days", 2.'),
  expect: z.union([
    z.string().describe('The disposition code the answers must reach.'),
    z.strictObject({
      disposition: z.string(),
      outcome: z
        .string()
        .optional()
        .describe('The outcome node (or dx.CODE) that must be reached.'),
      reasons: z
        .array(Text)
        .optional()
        .describe('Words each of which must appear in the reasons shown.'),
    }),
  ]),
});

export const ScenarioFileSchema = z.strictObject({
  pathway: z.string().describe('The id of the pathway these scenarios test.'),
  scenarios: z.array(ScenarioSchema).min(1),
});
export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;

export interface ScenarioResult {
  name: string;
  passed: boolean;
  /** What was reached, or why the scenario could not finish. */
  detail: string;
}

export interface ScenarioRun {
  pathway: string;
  results: ScenarioResult[];
  errors: PathwayError[];
}

function runOne(
  checked: CheckedPathway,
  scenario: ScenarioFile['scenarios'][number],
  at: (path: (string | number)[]) => number,
  index: number,
  file: string,
): { result: ScenarioResult; reached?: string; error?: PathwayError } {
  const { machine, pathway } = checked;
  const expected =
    typeof scenario.expect === 'string' ? { disposition: scenario.expect } : scenario.expect;
  const fail = (path: (string | number)[], rule: string, detail: string, fix: string) => ({
    result: { name: scenario.name, passed: false, detail },
    error: pathwayError(
      file,
      at(['scenarios', index, ...path]),
      rule,
      `scenario '${scenario.name}': ${detail}`,
      fix,
    ),
  });

  let snapshot = startPathway(machine);
  for (const [i, raw] of scenario.answers.entries()) {
    const nodeId = currentNode(snapshot);
    const node = nodeId === undefined ? undefined : pathway.nodes[nodeId];
    if (!node || node.type === 'outcome') {
      return fail(
        ['answers', i],
        'scenario-extra-answer',
        `the pathway had already ended when answer ${i + 1} ('${raw}') was given`,
        'remove the extra answers or check the earlier ones',
      );
    }
    const parsed = interpretAnswer(node, String(raw));
    if (!parsed.ok) {
      return fail(
        ['answers', i],
        'scenario-answer-not-understood',
        `answer ${i + 1} ('${raw}') does not answer '${nodeId}': ${parsed.hint}`,
        'write the answer as a patient would, in a form the question accepts',
      );
    }
    snapshot = applyAnswer(machine, snapshot, parsed.event);
  }
  const outcome = outcomeOf(snapshot);
  if (!outcome) {
    return fail(
      ['answers'],
      'scenario-unfinished',
      `the answers stop at question '${currentNode(snapshot) ?? '?'}' before an outcome`,
      'add the answers that finish the pathway',
    );
  }
  const reached = `${outcome.disposition} at ${outcome.outcome}`;
  if (outcome.disposition !== expected.disposition) {
    return {
      ...fail(
        ['expect'],
        'scenario-wrong-outcome',
        `expected ${expected.disposition} but reached ${reached}`,
        'check the answers and the routes they take',
      ),
      reached: outcome.outcome,
    };
  }
  if (expected.outcome !== undefined && expected.outcome !== outcome.outcome) {
    return {
      ...fail(
        ['expect'],
        'scenario-wrong-outcome',
        `expected outcome ${expected.outcome} but reached ${reached}`,
        'check the answers and the routes they take',
      ),
      reached: outcome.outcome,
    };
  }
  const shown = outcome.reasons.join(' ').toLowerCase();
  const missing = (expected.reasons ?? []).filter((r) => !shown.includes(r.toLowerCase()));
  if (missing.length > 0) {
    return {
      ...fail(
        ['expect'],
        'scenario-reasons',
        `the reasons shown (${outcome.reasons.join(' | ')}) do not mention: ${missing.join(', ')}`,
        'add because: to the answers that matter, or correct the expectation',
      ),
      reached: outcome.outcome,
    };
  }
  return {
    result: { name: scenario.name, passed: true, detail: reached },
    reached: outcome.outcome,
  };
}

/** Runs a scenario file against its pathway and checks that every outcome is reached. */
export function runScenarioFile(file: string, checked: CheckedPathway | undefined): ScenarioRun {
  const loaded = loadYamlFile(file, ScenarioFileSchema);
  if (!loaded.ok) {
    return { pathway: '?', results: [], errors: loaded.errors };
  }
  const { value, source } = loaded;
  return runScenarios(value, source, checked);
}

export function runScenarios(
  value: ScenarioFile,
  source: SourceMap,
  checked: CheckedPathway | undefined,
): ScenarioRun {
  const { file } = source;
  if (!checked || checked.pathway.id !== value.pathway) {
    return {
      pathway: value.pathway,
      results: [],
      errors: [
        pathwayError(
          file,
          source.lineAt(['pathway']),
          'scenario-unknown-pathway',
          `no checked pathway '${value.pathway}' to test`,
          'fix the pathway file first, or correct the pathway id',
        ),
      ],
    };
  }
  const results: ScenarioResult[] = [];
  const errors: PathwayError[] = [];
  const reached = new Set<string>();
  value.scenarios.forEach((scenario, index) => {
    const run = runOne(checked, scenario, (p) => source.lineAt(p), index, file);
    results.push(run.result);
    if (run.error) {
      errors.push(run.error);
    }
    if (run.reached !== undefined && run.result.passed) {
      reached.add(run.reached);
    }
  });
  const { pathway } = checked;
  const outcomes = [...reachableFrom(pathway, pathway.start)].filter(
    (v) => outcomeCode(pathway, v) !== undefined,
  );
  for (const o of outcomes.sort()) {
    if (!reached.has(o)) {
      errors.push(
        pathwayError(
          file,
          source.lineAt(['scenarios']),
          'scenario-coverage',
          `no passing scenario reaches outcome ${o} (${outcomeCode(pathway, o) ?? ''})`,
          'add a scenario whose answers end there',
        ),
      );
    }
  }
  return { pathway: pathway.id, results, errors };
}
