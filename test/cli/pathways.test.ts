import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/pathways.js';
import { fixturePath } from '../helpers/triage.js';

function fakeIo(input: string[] = []): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    lines: Readable.from(input) as AsyncIterable<string>,
  };
}

/** A pathway folder holding only the valid fixture and the given scenario file. */
function folderWithScenarios(scenarios: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pathways-'));
  copyFileSync(fixturePath('valid'), join(dir, 'valid.yaml'));
  writeFileSync(join(dir, 'valid.test.yaml'), scenarios);
  return dir;
}

const GOOD_SCENARIOS = `pathway: valid
scenarios:
  - name: danger means 999
    answers: [yes]
    expect: CALL_999
  - name: leg goes to a GP
    answers: [no, Leg]
    expect: { disposition: GP_24H, reasons: [leg] }
  - name: a fever goes to a GP
    answers: [no, 1, 101F]
    expect: GP_24H
  - name: no fever is self-care
    answers: [no, elbow, '37']
    expect: { disposition: SELF_CARE, outcome: home }
`;

describe('pathways CLI: check', () => {
  test('when every file is sound, then it exits 0 and says how many were checked', async () => {
    const io = fakeIo();
    expect(await runCli(['check', fixturePath('valid')], io)).toBe(0);
    expect(io.stdout).toEqual(['Checked 1 pathway file: 0 errors, 0 warnings.']);
  });

  test('when a file is broken, then it exits 1 with file:line: rule: message (fix)', async () => {
    const io = fakeIo();
    expect(await runCli(['check', fixturePath('unknown-target')], io)).toBe(1);
    expect(io.stderr[0]).toMatch(
      /^test\/fixtures\/pathways\/unknown-target\.yaml:20: unknown-target: .+ \(.+\)$/,
    );
  });

  test('when a folder of broken files is checked, then every file is reported and nothing crashes', async () => {
    const io = fakeIo();
    expect(await runCli(['check', 'test/fixtures/pathways'], io)).toBe(1);
    const files = new Set(io.stderr.map((l) => l.split(':')[0]));
    expect(files.size).toBeGreaterThanOrEqual(15);
    expect(io.stdout.at(-1)).toMatch(/^Checked \d+ pathway files: \d+ errors, 1 warning\.$/);
  });

  test('when a path does not exist, then it is reported as unreadable', async () => {
    const io = fakeIo();
    expect(await runCli(['check', 'nowhere/at-all.yaml'], io)).toBe(1);
    expect(io.stderr).toContain(
      'nowhere/at-all.yaml:1: file-unreadable: no such file or folder (check the path)',
    );
  });
});

describe('pathways CLI: test', () => {
  test('when scenarios pass and reach every outcome, then it exits 0', async () => {
    const io = fakeIo();
    const dir = folderWithScenarios(GOOD_SCENARIOS);
    expect(await runCli(['test', '--pathways', dir], io)).toBe(0);
    expect(io.stdout).toEqual([
      'PASS valid@1: 4 of 4 scenarios passed, every outcome reached',
      '1 passed, 0 failed',
    ]);
  });

  test('when a scenario reaches the wrong outcome, then it fails with the scenario line', async () => {
    const io = fakeIo();
    const dir = folderWithScenarios(GOOD_SCENARIOS.replace('expect: CALL_999', 'expect: ED_1H'));
    expect(await runCli(['test', '--pathways', dir], io)).toBe(1);
    expect(io.stderr).toContain(
      `${join(dir, 'valid.test.yaml')}:5: scenario-wrong-outcome: scenario 'danger means 999': expected ED_1H but reached CALL_999 at dx.CALL_999 (check the answers and the routes they take)`,
    );
  });

  test('when an outcome is not reached by any scenario, then coverage fails', async () => {
    const io = fakeIo();
    const dir = folderWithScenarios(GOOD_SCENARIOS.split('  - name: no fever')[0]!);
    expect(await runCli(['test', '--pathways', dir], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain(
      'scenario-coverage: no passing scenario reaches outcome home (SELF_CARE)',
    );
  });

  test('when an answer does not fit the question, then the runner says which and why', async () => {
    const io = fakeIo();
    const dir = folderWithScenarios(
      GOOD_SCENARIOS.replace('answers: [no, 1, 101F]', 'answers: [no, 1, hot]'),
    );
    expect(await runCli(['test', '--pathways', dir], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain("answer 3 ('hot') does not answer 'temperature'");
  });

  test('when a pathway has no scenario file, then it fails', async () => {
    const io = fakeIo();
    const dir = mkdtempSync(join(tmpdir(), 'pathways-'));
    copyFileSync(fixturePath('valid'), join(dir, 'valid.yaml'));
    expect(await runCli(['test', '--pathways', dir], io)).toBe(1);
    expect(io.stderr[0]).toContain('scenario-missing');
  });
});

describe('pathways CLI: paths, diagram, list, schema, play', () => {
  const dir = folderWithScenarios(GOOD_SCENARIOS);

  test('when paths are asked for, then a table lists each outcome with question counts', async () => {
    const io = fakeIo();
    expect(await runCli(['paths', 'valid', '--pathways', dir], io)).toBe(0);
    expect(io.stdout[0]).toBe('valid@1: 4 paths, 3 outcomes reachable');
    expect(io.stdout).toContain('home         SELF_CARE    1      3                 3');
  });

  test('when a diagram is asked for with --markdown, then it is fenced for Markdown viewers', async () => {
    const io = fakeIo();
    expect(await runCli(['diagram', 'valid', '--markdown', '--pathways', dir], io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^```mermaid\nflowchart TD\n/);
    expect(io.stdout[0]).toMatch(/```$/);
  });

  test('when an unknown pathway is named, then the known ones are listed', async () => {
    const io = fakeIo();
    expect(await runCli(['diagram', 'nope', '--pathways', dir], io)).toBe(1);
    expect(io.stderr[0]).toContain("there is no pathway 'nope' (use one of: valid)");
  });

  test('when pathways are listed, then each shows id, version, questions and title', async () => {
    const io = fakeIo();
    expect(await runCli(['list', '--pathways', dir], io)).toBe(0);
    expect(io.stdout).toEqual([`${'valid'.padEnd(24)} v1      3 questions  Valid fixture`]);
  });

  test('when the schema is printed, then it is the JSON Schema of pathway files', async () => {
    const io = fakeIo();
    expect(await runCli(['schema'], io)).toBe(0);
    expect(JSON.parse(io.stdout[0]!)).toMatchObject({
      title: 'Digital 111 triage pathway',
      type: 'object',
    });
  });

  test('when a pathway is played, then answers lead to the outcome with reasons and advice', async () => {
    const io = fakeIo(['no', 'what?', 'arm', 'back', '2']);
    expect(await runCli(['play', 'valid', '--pathways', dir], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('Please choose one: 1 Arm, 2 Leg.');
    expect(text).toContain('OUTCOME GP_24H (urgent): Contact a GP today or tomorrow');
    expect(text).toContain('  - It is in the leg.');
  });

  test('when a red flag is typed during play, then the emergency interrupts', async () => {
    const io = fakeIo(['my husband is not breathing']);
    expect(await runCli(['play', 'valid', '--pathways', dir], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/EMERGENCY \(.+\): Call 999 now\./);
  });

  test('when the command is unknown, then usage is shown and it exits 2', async () => {
    const io = fakeIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.stderr[0]).toBe("Unknown command 'frobnicate'.");
  });
});

describe('npm run pathways as a real process', () => {
  test('when a broken copy of a bundled pathway is checked, then the process exits 1 naming file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'broken-'));
    const file = join(dir, 'headache.yaml');
    writeFileSync(
      file,
      readFileSync('data/pathways/headache.yaml', 'utf8').replace(
        'no: thunderclap',
        'no: thunderclip',
      ),
    );
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/pathways.ts', 'check', file],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`${file}:\\d+: unknown-target: answer no of 'stroke-signs' goes to 'thunderclip'`),
    );
  });

  test('when the bundled pathways are checked, then the process exits 0', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/pathways.ts', 'check', 'data/pathways/headache.yaml'],
      { encoding: 'utf8' },
    );
    expect(result.stdout).toContain('0 errors');
    expect(result.status).toBe(0);
  });
});
