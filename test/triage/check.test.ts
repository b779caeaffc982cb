import { describe, expect, test } from 'vitest';
import { formatPathwayError } from '../../src/triage/index.js';
import { fixtureErrors, fixturePath } from '../helpers/triage.js';

describe('checkPathway on broken fixtures', () => {
  test.each([
    ['broken-yaml', 'yaml-syntax', 24, 'All mapping items must start at the same column'],
    ['bad-type', 'schema', 28, 'unknown node type'],
    ['unknown-key', 'unknown-key', 25, "'nxt' is not a field here"],
    ['missing-route', 'answer-unrouted', 15, "'no' is missing in nodes.danger"],
    ['id-mismatch', 'id-mismatch', 1, "the id 'valid' differs from the file name 'id-mismatch'"],
    ['changelog-stale', 'changelog-stale', 9, 'newest changelog entry is for version 1'],
    ['unknown-target', 'unknown-target', 20, "goes to 'wehre', which is not a node"],
    ['unknown-disposition', 'unknown-disposition', 36, "'SELFCARE' is not a disposition code"],
    ['unreachable', 'unreachable-node', 38, "'orphan' cannot be reached from the start"],
    ['cycle', 'cycle', 21, 'where -> temperature -> where'],
    ['range-gap', 'range-gap', 33, 'answers from 38 up to 39 celsius have no route'],
    ['range-overlap', 'range-overlap', 33, 'overlaps the range before it'],
    ['red-flag-missing', 'red-flag-missing', 14, 'marks no red-flag question'],
    ['red-flag-bypassed', 'red-flag-bypassed', 15, "red-flag question 'danger' can be skipped"],
    [
      'red-flag-yes-less-urgent',
      'red-flag-yes-less-urgent',
      19,
      'can end at SELF_CARE, less urgent than GP_24H',
    ],
    ['unsure-as-no', 'unsure-as-no', 21, 'goes the same way as no'],
    ['unsure-unsafe', 'unsure-unsafe', 24, 'ends straight at SELF_CARE'],
  ])(
    'when the fixture %s is checked, then it reports %s at line %i',
    (name, rule, line, message) => {
      const errors = fixtureErrors(name);
      const found = errors.find((e) => e.rule === rule);
      expect(found, JSON.stringify(errors, null, 2)).toBeDefined();
      expect(found).toMatchObject({ file: fixturePath(name), line, severity: 'error' });
      expect(found?.message).toContain(message);
      expect(found?.fix.length).toBeGreaterThan(5);
    },
  );

  test('when an unknown key is a near miss, then the fix suggests the right field', () => {
    const found = fixtureErrors('unknown-key').find((e) => e.rule === 'unknown-key');
    expect(found?.fix).toBe("did you mean 'next'?");
  });

  test('when a route to an urgent outcome has no reason, then it is a warning, not an error', () => {
    const errors = fixtureErrors('reason-missing');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ rule: 'reason-missing', severity: 'warning', line: 33 });
  });

  test('when the fixture is valid, then there is nothing to report', () => {
    expect(fixtureErrors('valid')).toEqual([]);
  });

  test('when an error is formatted, then it reads file:line: rule: message (fix)', () => {
    const [error] = fixtureErrors('unknown-target');
    expect(formatPathwayError(error!)).toBe(
      "test/fixtures/pathways/unknown-target.yaml:20: unknown-target: answer no of 'danger' goes to 'wehre', which is not a node (use a node id of this pathway (danger, where, temperature, home) or dx.<CODE>)",
    );
  });

  test('when the file does not exist, then the error says so instead of throwing', () => {
    const errors = fixtureErrors('no-such-file');
    expect(errors).toEqual([
      expect.objectContaining({
        rule: 'file-unreadable',
        line: 1,
        file: fixturePath('no-such-file'),
      }),
    ]);
  });
});
