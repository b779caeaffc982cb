import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { z } from 'zod';
import { pathwayError, type PathwayError } from './errors.js';

/**
 * Reading YAML with line numbers. The one place `yaml` is imported: every data file of this
 * folder (pathways, dispositions, red flags, scenarios) is read here, so a broken file always
 * comes back as `file:line: rule: message (fix)` and never as an exception.
 */

/** Finds the line of a value in the file from its path of keys and indexes. */
export interface SourceMap {
  file: string;
  lineAt(path: readonly (string | number)[]): number;
}

export type Loaded<T> =
  { ok: true; value: T; source: SourceMap } | { ok: false; errors: PathwayError[] };

/** Closest known word by edit distance, for "did you mean" fixes. */
function closest(word: string, known: readonly string[]): string | undefined {
  let best: { w: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d <= Math.max(2, Math.floor(k.length / 3)) && (!best || d < best.d)) {
      best = { w: k, d };
    }
  }
  return best?.w;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0;
      row[j] = Math.min(
        (row[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return row[b.length] ?? 0;
}

const ROUTE_KEYS = new Set(['yes', 'no', 'next']);

function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

export interface YamlOptions {
  /** Every key the schema knows, so an unknown key can be answered with "did you mean". */
  knownKeys?: readonly string[];
}

/** Parses YAML text against a zod schema, keeping line numbers for every error. */
export function parseYaml<T>(
  file: string,
  text: string,
  schema: z.ZodType<T>,
  options: YamlOptions = {},
): Loaded<T> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });

  const errors: PathwayError[] = doc.errors.map((e) =>
    pathwayError(
      file,
      e.linePos?.[0]?.line ?? 1,
      'yaml-syntax',
      e.message.split('\n')[0] ?? 'the YAML cannot be read',
      e.code === 'DUPLICATE_KEY'
        ? 'each key may appear once in a map; remove or rename the repeat'
        : 'check the indentation and quoting on this line and the one before it',
    ),
  );
  if (errors.length > 0) {
    return { ok: false, errors };
  }

  const lineAt = (path: readonly (string | number)[]): number => {
    let node: unknown = doc.contents;
    let offset = doc.contents?.range[0] ?? 0;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) =>
          isScalar(p.key) ? p.key.value === key : p.key === key,
        );
        if (!pair) {
          break;
        }
        offset = isScalar(pair.key) ? (pair.key.range?.[0] ?? offset) : offset;
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(key)];
        if (!item) {
          break;
        }
        if (isScalar(item) || isMap(item) || isSeq(item)) {
          offset = item.range?.[0] ?? offset;
        }
        node = item;
      } else {
        break;
      }
    }
    return lineCounter.linePos(offset).line;
  };
  const source: SourceMap = { file, lineAt };

  const parsed = schema.safeParse(doc.toJS());
  if (parsed.success) {
    return { ok: true, value: parsed.data, source };
  }

  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const where = describePath(path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const guess = options.knownKeys ? closest(key, options.knownKeys) : undefined;
        errors.push(
          pathwayError(
            file,
            lineAt([...path, key]),
            'unknown-key',
            `'${key}' is not a field here${where ? ` (in ${where})` : ''}`,
            guess
              ? `did you mean '${guess}'?`
              : 'remove it or check its spelling in docs/pathway-authoring.md',
          ),
        );
      }
      continue;
    }
    const last = path[path.length - 1];
    const missing = path.length > 0 && !doc.hasIn(path);
    if (missing) {
      const key = String(last);
      const isRoute = ROUTE_KEYS.has(key);
      errors.push(
        pathwayError(
          file,
          lineAt(path),
          isRoute ? 'answer-unrouted' : 'missing-field',
          `'${key}' is missing${path.length > 1 ? ` in ${describePath(path.slice(0, -1))}` : ''}`,
          isRoute
            ? `add '${key}:' with a node id of this pathway or dx.<CODE>`
            : `add '${key}:' (see its description in pathway.schema.json)`,
        ),
      );
      continue;
    }
    if (issue.code === 'invalid_union' && last === 'type') {
      errors.push(
        pathwayError(
          file,
          lineAt(path),
          'schema',
          `${where}: unknown node type`,
          'use one of: yes-no, choice, number, outcome',
        ),
      );
      continue;
    }
    errors.push(
      pathwayError(
        file,
        lineAt(path),
        'schema',
        `${where || 'the file'}: ${issue.message}`,
        'correct the value; each field is described in docs/pathway-authoring.md',
      ),
    );
  }
  return { ok: false, errors };
}

/** Reads and parses one file; an unreadable file is an error line, not an exception. */
export function loadYamlFile<T>(
  file: string,
  schema: z.ZodType<T>,
  options: YamlOptions = {},
): Loaded<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return {
      ok: false,
      errors: [
        pathwayError(file, 1, 'file-unreadable', reason, 'check the path and the file permissions'),
      ],
    };
  }
  return parseYaml(file, text, schema, options);
}

/** Pathway files of a folder: `*.yaml` except scenario files (`*.test.yaml`), sorted. */
export function listPathwayFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.test.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/** Scenario files of a folder: `<id>.test.yaml`, sorted. */
export function listScenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.test.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

export function fileId(file: string): string {
  return basename(file).replace(/\.test\.yaml$|\.yaml$/, '');
}
