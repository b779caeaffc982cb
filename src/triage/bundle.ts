import { join } from 'node:path';
import { checkPathway } from './check.js';
import { compilePathway, type PathwayMachine } from './compile.js';
import { ComplaintIndex } from './complaint.js';
import { checkScale, DispositionFileSchema, DispositionScale } from './disposition.js';
import { hasErrors, pathwayError, type PathwayError } from './errors.js';
import { listPathwayFiles, loadYamlFile, type SourceMap } from './load.js';
import { pathwayJsonSchema, PathwaySchema, type Pathway } from './pathway.schema.js';
import { compilePhrase, RedFlagDetector, RedFlagFileSchema } from './red-flags.js';

/** A pathway that loaded, passed every check and compiled. */
export interface CheckedPathway {
  pathway: Pathway;
  source: SourceMap;
  machine: PathwayMachine;
}

/** Everything triage needs, read from the data folder and checked. */
export interface TriageBundle {
  scale: DispositionScale;
  redFlags: RedFlagDetector;
  pathways: CheckedPathway[];
  complaints: ComplaintIndex;
}

export interface DataPaths {
  pathwaysDir: string;
  dispositionsFile: string;
  redFlagsFile: string;
}

export function dataPaths(pathwaysDir = 'data/pathways', dataDir = 'data'): DataPaths {
  return {
    pathwaysDir,
    dispositionsFile: join(dataDir, 'dispositions.yaml'),
    redFlagsFile: join(dataDir, 'red-flags.yaml'),
  };
}

function collectKeys(schema: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(schema)) {
    schema.forEach((s: unknown) => collectKeys(s, into));
  } else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
      if (k === 'properties' && v && typeof v === 'object') {
        Object.keys(v).forEach((key) => into.add(key));
      }
      collectKeys(v, into);
    }
  }
  return into;
}

let pathwayKeys: string[] | undefined;
/** Every field name a pathway file may use, for "did you mean" answers. */
export function knownPathwayKeys(): string[] {
  pathwayKeys ??= [...collectKeys(pathwayJsonSchema(), new Set())];
  return pathwayKeys;
}

export function loadDispositions(file: string): {
  scale?: DispositionScale;
  errors: PathwayError[];
} {
  const loaded = loadYamlFile(file, DispositionFileSchema);
  if (!loaded.ok) {
    return { errors: loaded.errors };
  }
  const { value, source } = loaded;
  const scale = new DispositionScale(value.dispositions);
  const errors: PathwayError[] = [];
  const seen = new Set<string>();
  value.dispositions.forEach((d, i) => {
    if (seen.has(d.code)) {
      errors.push(
        pathwayError(
          file,
          source.lineAt(['dispositions', i, 'code']),
          'duplicate-disposition',
          `${d.code} is defined twice`,
          'keep one definition per code',
        ),
      );
    }
    seen.add(d.code);
  });
  for (const p of checkScale(scale)) {
    const i = value.dispositions.findIndex((d) => d.code === p.code);
    errors.push(
      pathwayError(
        file,
        source.lineAt(['dispositions', i, 'escalatesTo']),
        'escalation-invalid',
        p.message,
        p.fix,
      ),
    );
  }
  return hasErrors(errors) ? { errors } : { scale, errors };
}

export function loadRedFlags(
  file: string,
  scale: DispositionScale,
): { detector?: RedFlagDetector; errors: PathwayError[] } {
  const loaded = loadYamlFile(file, RedFlagFileSchema);
  if (!loaded.ok) {
    return { errors: loaded.errors };
  }
  const { value, source } = loaded;
  const errors: PathwayError[] = [];
  value.flags.forEach((flag, i) => {
    if (!scale.has(flag.disposition)) {
      errors.push(
        pathwayError(
          file,
          source.lineAt(['flags', i, 'disposition']),
          'unknown-disposition',
          `red flag ${flag.id} names unknown disposition ${flag.disposition}`,
          `use one of ${scale.codes.join(', ')}`,
        ),
      );
    }
    flag.phrases.forEach((phrase, j) => {
      try {
        compilePhrase(phrase);
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        errors.push(
          pathwayError(
            file,
            source.lineAt(['flags', i, 'phrases', j]),
            'phrase-invalid',
            `phrase '${phrase}' of ${flag.id}: ${reason}`,
            'see the phrase language at the top of src/triage/red-flags.ts',
          ),
        );
      }
    });
  });
  return hasErrors(errors) ? { errors } : { detector: new RedFlagDetector(value), errors };
}

/** Loads, checks and compiles one pathway file. Warnings come back with a pathway. */
export function loadPathway(
  file: string,
  scale: DispositionScale,
): { checked?: CheckedPathway; errors: PathwayError[] } {
  const loaded = loadYamlFile(file, PathwaySchema, { knownKeys: knownPathwayKeys() });
  if (!loaded.ok) {
    return { errors: loaded.errors };
  }
  const errors = checkPathway(loaded.value, loaded.source, scale);
  if (hasErrors(errors)) {
    return { errors };
  }
  try {
    const machine = compilePathway(loaded.value, scale);
    return { checked: { pathway: loaded.value, source: loaded.source, machine }, errors };
  } catch (cause) {
    // The checks should make this unreachable; if not, the author still gets a line, not a crash.
    const reason = cause instanceof Error ? cause.message : String(cause);
    return {
      errors: [
        ...errors,
        pathwayError(
          file,
          1,
          'compile-failed',
          reason,
          'report this to the engineers with the file',
        ),
      ],
    };
  }
}

/** Loads every pathway of a folder; pathways with errors are left out and their errors returned. */
export function loadPathwayDir(
  dir: string,
  scale: DispositionScale,
): { pathways: CheckedPathway[]; errors: PathwayError[] } {
  let files: string[];
  try {
    files = listPathwayFiles(dir);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return {
      pathways: [],
      errors: [
        pathwayError(
          dir,
          1,
          'folder-unreadable',
          reason,
          'check PATHWAYS_DIR points at the pathway folder',
        ),
      ],
    };
  }
  const pathways: CheckedPathway[] = [];
  const errors: PathwayError[] = [];
  for (const file of files) {
    const result = loadPathway(file, scale);
    errors.push(...result.errors);
    if (result.checked) {
      pathways.push(result.checked);
    }
  }
  return { pathways, errors };
}

/**
 * The whole data folder: dispositions, red flags and every pathway. A bundle comes back only
 * when nothing has an error, so a server never starts on a half-checked set of pathways.
 */
export function loadBundle(paths: DataPaths): { bundle?: TriageBundle; errors: PathwayError[] } {
  const { scale, errors } = loadDispositions(paths.dispositionsFile);
  if (!scale) {
    return { errors };
  }
  const flags = loadRedFlags(paths.redFlagsFile, scale);
  const dir = loadPathwayDir(paths.pathwaysDir, scale);
  const all = [...errors, ...flags.errors, ...dir.errors];
  if (!flags.detector || hasErrors(all)) {
    return { errors: all };
  }
  if (dir.pathways.length === 0) {
    return {
      errors: [
        ...all,
        pathwayError(
          paths.pathwaysDir,
          1,
          'no-pathways',
          'the folder holds no pathway files',
          'add <id>.yaml files or point PATHWAYS_DIR at the right folder',
        ),
      ],
    };
  }
  const complaints = new ComplaintIndex(dir.pathways.map((p) => p.pathway));
  return {
    bundle: { scale, redFlags: flags.detector, pathways: dir.pathways, complaints },
    errors: all,
  };
}
