import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  dataPaths,
  hasErrors,
  listPathwayFiles,
  loadBundle,
  runScenarioFile,
  summarisePaths,
  walkPaths,
  type CheckedPathway,
  type PathwayOutcome,
} from '../../src/triage/index.js';

/**
 * The pathways that ship: each loads, passes every check with no warning, has scenarios that
 * pass and reach every outcome, and every path of its compiled machine ends in a disposition.
 */

const paths = dataPaths();
const { bundle, errors } = loadBundle(paths);

describe('the bundled data', () => {
  test('when the data folder is loaded, then there are no errors and no warnings', () => {
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.rule}: ${e.message}`)).toEqual([]);
    expect(bundle).toBeDefined();
  });

  test('when the pathway files are counted, then every one of them loaded', () => {
    expect(bundle?.pathways.map((p) => p.pathway.id).sort()).toEqual(
      listPathwayFiles(paths.pathwaysDir)
        .map((f) => f.replace(/^.*\/|\.yaml$/g, ''))
        .sort(),
    );
    expect(bundle?.pathways.length).toBeGreaterThanOrEqual(12);
  });
});

const pathways: CheckedPathway[] = bundle?.pathways ?? [];

describe.each(pathways.map((p) => [p.pathway.id, p] as const))('pathway %s', (id, checked) => {
  test('when its scenarios run, then all pass and together reach every outcome', () => {
    const file = `${paths.pathwaysDir}/${id}.test.yaml`;
    expect(existsSync(file), `${file} is missing`).toBe(true);
    const run = runScenarioFile(file, checked);
    expect(run.errors.map((e) => `${e.file}:${e.line}: ${e.rule}: ${e.message}`)).toEqual([]);
    expect(run.results.length).toBeGreaterThan(0);
  });

  test('when every path of the compiled machine is walked, then each ends in a known disposition', () => {
    const summary = summarisePaths(checked);
    expect(summary.unfinished).toBe(0);
    expect(summary.total).toBeGreaterThan(0);
    for (const path of walkPaths(checked)) {
      if (path.state.status === 'done') {
        const out = path.state.output as PathwayOutcome;
        expect(bundle?.scale.has(out.disposition)).toBe(true);
        expect(out.reasons.length).toBeGreaterThan(0);
      }
    }
  });

  test('when it is read, then it cites public sources, at least one of them NHS.UK or NICE, and a changelog entry for its version', () => {
    const { pathway } = checked;
    expect(pathway.sources.every((s) => s.url.startsWith('https://'))).toBe(true);
    expect(
      pathway.sources.some((s) =>
        /^https:\/\/(www\.nhs\.uk|cks\.nice\.org\.uk|www\.nice\.org\.uk)\//.test(s.url),
      ),
    ).toBe(true);
    expect(pathway.changelog.some((c) => c.version === pathway.version)).toBe(true);
  });

  test('when 999 is a possible outcome, then it is reached within 5 questions', () => {
    // Life-threatening questions come first (NHS Pathways order). Issue 6 extends this target
    // to every emergency disposition.
    const summary = summarisePaths(checked);
    for (const o of summary.outcomes.filter((x) => x.disposition === 'CALL_999')) {
      expect(o.fewestQuestions, `${id} ${o.outcome}`).toBeLessThanOrEqual(5);
    }
  });

  test('when checked alone, then it has no warnings either', () => {
    expect(hasErrors(errors.filter((e) => e.file.endsWith(`/${id}.yaml`)))).toBe(false);
  });
});
