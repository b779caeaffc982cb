import { existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  applyAnswer,
  currentNode,
  dataPaths,
  fileId,
  formatPathwayError,
  hasErrors,
  interpretAnswer,
  listPathwayFiles,
  loadDispositions,
  loadPathway,
  loadPathwayDir,
  loadRedFlags,
  outcomeOf,
  pathwayDiagram,
  pathwayJsonSchema,
  runScenarioFile,
  startPathway,
  summarisePaths,
  type CheckedPathway,
  type DispositionScale,
  type PathwayError,
  type PathwayEvent,
  type PathwaySnapshot,
  type RedFlagDetector,
} from '../triage/index.js';

/**
 * The authoring CLI: `npm run pathways -- <command>`. Everything here works on the files alone,
 * with no server. Each command returns an exit code (0 fine, 1 problems found, 2 wrong usage)
 * and never throws at the author.
 */

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Lines typed by the author, for `play`. */
  lines?: AsyncIterable<string>;
}

const USAGE = `Usage: npm run pathways -- <command> [options]

Commands:
  check [file or folder ...]  check pathway files (default: the pathways folder)
  test [id ...]               run the scenario files (<id>.test.yaml) of every pathway, or the ones named
  paths <id>                  count every path and the questions to each outcome
  diagram <id> [--markdown]   print a Mermaid flowchart of the pathway
  play <id>                   walk the pathway in the terminal
  list                        list the pathways with version and title
  schema [--out file]         print (or write) the JSON Schema of pathway files

Options:
  --pathways <dir>   pathway folder (default data/pathways)
  --data <dir>       folder with dispositions.yaml and red-flags.yaml (default data)`;

interface Options {
  pathways: string;
  data: string;
  markdown: boolean;
  out?: string | undefined;
}

function printErrors(io: CliIo, errors: readonly PathwayError[]): void {
  for (const e of errors) {
    if (e.severity === 'error') {
      io.err(formatPathwayError(e));
    } else {
      io.out(formatPathwayError(e));
    }
  }
}

function loadScale(io: CliIo, opts: Options): DispositionScale | undefined {
  const { dispositionsFile } = dataPaths(opts.pathways, opts.data);
  const { scale, errors } = loadDispositions(dispositionsFile);
  printErrors(io, errors);
  return scale;
}

function findPathway(
  io: CliIo,
  opts: Options,
  scale: DispositionScale,
  id: string | undefined,
): CheckedPathway | undefined {
  if (!id) {
    io.err('Name a pathway id, for example: headache');
    return undefined;
  }
  const file = join(opts.pathways, `${id}.yaml`);
  if (!existsSync(file)) {
    const known = existsSync(opts.pathways) ? listPathwayFiles(opts.pathways).map(fileId) : [];
    io.err(
      `${file}:1: unknown-pathway: there is no pathway '${id}' (use one of: ${known.join(', ') || 'none found'})`,
    );
    return undefined;
  }
  const { checked, errors } = loadPathway(file, scale);
  printErrors(io, errors);
  if (!checked) {
    io.err(`${id} has errors; fix them first (npm run pathways -- check ${file})`);
  }
  return checked;
}

function check(io: CliIo, opts: Options, targets: string[]): number {
  const paths = dataPaths(opts.pathways, opts.data);
  const { scale, errors: scaleErrors } = loadDispositions(paths.dispositionsFile);
  const errors: PathwayError[] = [...scaleErrors];
  let files: string[] = [];
  if (scale) {
    errors.push(...loadRedFlags(paths.redFlagsFile, scale).errors);
    for (const target of targets.length > 0 ? targets : [opts.pathways]) {
      if (!existsSync(target)) {
        errors.push({
          file: target,
          line: 1,
          rule: 'file-unreadable',
          message: 'no such file or folder',
          fix: 'check the path',
          severity: 'error',
        });
      } else if (statSync(target).isDirectory()) {
        files.push(...listPathwayFiles(target));
      } else {
        files.push(target);
      }
    }
    files = [...new Set(files)];
    for (const file of files) {
      errors.push(...loadPathway(file, scale).errors);
    }
  }
  printErrors(io, errors);
  const errorCount = errors.filter((e) => e.severity === 'error').length;
  const warningCount = errors.length - errorCount;
  io.out(
    `Checked ${files.length} pathway file${files.length === 1 ? '' : 's'}: ${errorCount} error${errorCount === 1 ? '' : 's'}, ${warningCount} warning${warningCount === 1 ? '' : 's'}.`,
  );
  return errorCount > 0 ? 1 : 0;
}

function test(io: CliIo, opts: Options, ids: string[]): number {
  const scale = loadScale(io, opts);
  if (!scale) {
    return 1;
  }
  const { pathways, errors } = loadPathwayDir(opts.pathways, scale);
  printErrors(
    io,
    errors.filter((e) => e.severity === 'error'),
  );
  let failed = hasErrors(errors) ? 1 : 0;
  let passedCount = 0;
  const wanted = ids.length > 0 ? pathways.filter((p) => ids.includes(p.pathway.id)) : pathways;
  for (const id of ids.filter((i) => !pathways.some((p) => p.pathway.id === i))) {
    io.err(`${join(opts.pathways, `${id}.yaml`)}:1: unknown-pathway: no checked pathway '${id}'`);
    failed++;
  }
  for (const checked of wanted) {
    const { id, version } = checked.pathway;
    const file = join(opts.pathways, `${id}.test.yaml`);
    if (!existsSync(file)) {
      io.err(
        `${file}:1: scenario-missing: pathway ${id} has no scenario file (add ${basename(file)} with scenarios reaching every outcome)`,
      );
      failed++;
      continue;
    }
    const run = runScenarioFile(file, checked);
    const passed = run.results.filter((r) => r.passed).length;
    const ok = run.errors.length === 0;
    io.out(
      `${ok ? 'PASS' : 'FAIL'} ${id}@${version}: ${passed} of ${run.results.length} scenarios passed${ok ? ', every outcome reached' : ''}`,
    );
    printErrors(io, run.errors);
    if (ok) {
      passedCount++;
    } else {
      failed++;
    }
  }
  io.out(`${passedCount} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

function paths(io: CliIo, opts: Options, id: string | undefined): number {
  const scale = loadScale(io, opts);
  const checked = scale && findPathway(io, opts, scale, id);
  if (!checked) {
    return 1;
  }
  const summary = summarisePaths(checked);
  io.out(
    `${summary.pathway}: ${summary.total} paths, ${summary.outcomes.length} outcomes reachable${summary.unfinished > 0 ? `, ${summary.unfinished} UNFINISHED` : ''}`,
  );
  io.out('');
  const rows = summary.outcomes.map((o) => [
    o.outcome,
    o.disposition,
    String(o.paths),
    String(o.fewestQuestions),
    String(o.mostQuestions),
  ]);
  const header = ['outcome', 'disposition', 'paths', 'fewest questions', 'most questions'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  for (const row of [header, ...rows]) {
    io.out(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  }
  return summary.unfinished > 0 ? 1 : 0;
}

function diagram(io: CliIo, opts: Options, id: string | undefined): number {
  const scale = loadScale(io, opts);
  const checked = scale && findPathway(io, opts, scale, id);
  if (!scale || !checked) {
    return 1;
  }
  const chart = pathwayDiagram(checked, scale);
  io.out(opts.markdown ? `\`\`\`mermaid\n${chart}\`\`\`` : chart.trimEnd());
  return 0;
}

function list(io: CliIo, opts: Options): number {
  const scale = loadScale(io, opts);
  if (!scale) {
    return 1;
  }
  const { pathways, errors } = loadPathwayDir(opts.pathways, scale);
  for (const { pathway } of pathways) {
    const questions = Object.values(pathway.nodes).filter((n) => n.type !== 'outcome').length;
    io.out(
      `${pathway.id.padEnd(24)} v${String(pathway.version).padEnd(4)} ${String(questions).padStart(3)} questions  ${pathway.title}`,
    );
  }
  const broken = new Set(errors.filter((e) => e.severity === 'error').map((e) => e.file));
  for (const file of broken) {
    io.err(`${file}: has errors (npm run pathways -- check ${file})`);
  }
  return broken.size > 0 ? 1 : 0;
}

function schema(io: CliIo, opts: Options): number {
  const json = `${JSON.stringify(pathwayJsonSchema(), null, 2)}\n`;
  if (opts.out) {
    writeFileSync(opts.out, json);
    io.out(`Wrote ${opts.out}`);
  } else {
    io.out(json.trimEnd());
  }
  return 0;
}

async function play(io: CliIo, opts: Options, id: string | undefined): Promise<number> {
  const scale = loadScale(io, opts);
  const checked = scale && findPathway(io, opts, scale, id);
  if (!scale || !checked) {
    return 1;
  }
  const flags = loadRedFlags(dataPaths(opts.pathways, opts.data).redFlagsFile, scale);
  printErrors(io, flags.errors);
  return playPathway(io, checked, scale, flags.detector);
}

/** Walks a pathway in the terminal, with the same parser and red-flag checks as a conversation. */
export async function playPathway(
  io: CliIo,
  checked: CheckedPathway,
  scale: DispositionScale,
  redFlags: RedFlagDetector | undefined,
): Promise<number> {
  const { machine, pathway } = checked;
  const events: PathwayEvent[] = [];
  const replay = (): PathwaySnapshot =>
    events.reduce((s, e) => applyAnswer(machine, s, e), startPathway(machine));
  let snapshot = replay();
  io.out(
    `${pathway.title} (v${pathway.version}). Type an answer; "back" to change the last one, "help", or "quit".`,
  );

  const ask = (): void => {
    const nodeId = currentNode(snapshot);
    const node = nodeId === undefined ? undefined : pathway.nodes[nodeId];
    if (!node || node.type === 'outcome') {
      return;
    }
    io.out('');
    io.out(`${node.redFlag ? '[red flag] ' : ''}${node.ask}`);
    if (node.type === 'yes-no') {
      io.out("  1 Yes   2 No   3 Don't know");
    } else if (node.type === 'choice') {
      node.options.forEach((o, i) => {
        io.out(`  ${i + 1} ${o.label}`);
      });
      io.out(`  ${node.options.length + 1} Don't know`);
    } else {
      io.out(`  (a number in ${node.unit})`);
    }
  };

  const finish = (): number => {
    const outcome = outcomeOf(snapshot);
    if (!outcome) {
      return 0;
    }
    const d = scale.get(outcome.disposition);
    io.out('');
    io.out(`OUTCOME ${d.code} (${d.category}): ${d.label}`);
    io.out(d.wording);
    io.out('Because:');
    outcome.reasons.forEach((r) => {
      io.out(`  - ${r}`);
    });
    if (outcome.advice) {
      io.out(`Meanwhile: ${outcome.advice}`);
    }
    io.out(`Get help sooner: ${outcome.safetyNet ? `${outcome.safetyNet} ` : ''}${d.safetyNet}`);
    return 0;
  };

  ask();
  const lines = io.lines ?? createInterface({ input: process.stdin, terminal: false });
  for await (const raw of lines) {
    const text = raw.trim();
    const command = text.toLowerCase();
    if (command === 'quit' || command === 'exit') {
      return 0;
    }
    if (command === 'back') {
      events.pop();
      snapshot = replay();
      ask();
      continue;
    }
    const nodeId = currentNode(snapshot);
    const node = nodeId === undefined ? undefined : pathway.nodes[nodeId];
    if (!node || node.type === 'outcome') {
      break;
    }
    if (command === 'help') {
      io.out(
        node.help ??
          'There is no extra help for this question. If you are not sure, answer "don\'t know".',
      );
      continue;
    }
    const hit = redFlags?.detect(text).find((h) => !h.historical);
    if (hit) {
      const d = scale.get(hit.disposition);
      io.out('');
      io.out(`EMERGENCY (${hit.title}): ${d.label}. ${hit.advice}`);
      return 0;
    }
    const parsed = interpretAnswer(node, text);
    if (!parsed.ok) {
      io.out(parsed.hint);
      continue;
    }
    events.push(parsed.event);
    snapshot = applyAnswer(machine, snapshot, parsed.event);
    if (snapshot.status === 'done') {
      return finish();
    }
    ask();
  }
  return 0;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        pathways: { type: 'string', default: 'data/pathways' },
        data: { type: 'string', default: 'data' },
        markdown: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (cause) {
    io.err(cause instanceof Error ? cause.message : String(cause));
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const opts: Options = {
    pathways: values.pathways,
    data: values.data,
    markdown: values.markdown,
    out: values.out,
  };
  if (values.help || command === undefined || command === 'help') {
    io.out(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  switch (command) {
    case 'check':
      return check(io, opts, rest);
    case 'test':
      return test(io, opts, rest);
    case 'paths':
      return paths(io, opts, rest[0]);
    case 'diagram':
      return diagram(io, opts, rest[0]);
    case 'play':
      return play(io, opts, rest[0]);
    case 'list':
      return list(io, opts);
    case 'schema':
      return schema(io, opts);
    default:
      io.err(`Unknown command '${command}'.`);
      io.err(USAGE);
      return 2;
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const io: CliIo = {
    out: (line) => {
      process.stdout.write(`${line}\n`);
    },
    err: (line) => {
      process.stderr.write(`${line}\n`);
    },
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (cause: unknown) => {
      // A bug, not an authoring problem: say so plainly, without a stack trace.
      io.err(
        `The pathway tool failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
      process.exitCode = 2;
    },
  );
}
