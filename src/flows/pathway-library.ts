import { createHash } from 'node:crypto';
import {
  compilePathway,
  PathwaySchema,
  type CheckedPathway,
  type DispositionScale,
  type Pathway,
} from '../triage/index.js';
import type { PathwayResolver } from './conversation.machine.js';

/**
 * Which pathway definitions conversations may use. A conversation pins `id@version#hash`: the
 * hash is of the definition itself, so even an edit made without raising the version never
 * changes a conversation in flight. Definitions a conversation started on are archived in the
 * conversation store, so another process, or this one after a restart with edited files, can
 * still finish it.
 */

export interface PathwayRef {
  id: string;
  version: number;
  hash: string;
}

export function hashPathway(pathway: Pathway): string {
  return createHash('sha256').update(JSON.stringify(pathway)).digest('hex').slice(0, 16);
}

export class PathwayLibrary implements PathwayResolver {
  readonly #byHash = new Map<string, CheckedPathway>();
  readonly #latest = new Map<string, { checked: CheckedPathway; ref: PathwayRef }>();
  readonly #scale: DispositionScale;

  constructor(pathways: readonly CheckedPathway[], scale: DispositionScale) {
    this.#scale = scale;
    for (const checked of pathways) {
      const ref = this.#add(checked);
      this.#latest.set(ref.id, { checked, ref });
    }
  }

  #add(checked: CheckedPathway): PathwayRef {
    const { id, version } = checked.pathway;
    const hash = hashPathway(checked.pathway);
    this.#byHash.set(hash, checked);
    return { id, version, hash };
  }

  latest(id: string): { checked: CheckedPathway; ref: PathwayRef } | undefined {
    return this.#latest.get(id);
  }

  pinned(ref: PathwayRef): CheckedPathway | undefined {
    const found = this.#byHash.get(ref.hash);
    return found && found.pathway.id === ref.id ? found : undefined;
  }

  has(ref: PathwayRef): boolean {
    return this.pinned(ref) !== undefined;
  }

  /** The definition to archive for a pinned pathway. */
  definition(ref: PathwayRef): Pathway | undefined {
    return this.pinned(ref)?.pathway;
  }

  /**
   * Adds an archived definition (read back from the store). It was checked when it was first
   * used; it is parsed again because stored data is untrusted, and must hash to its reference.
   */
  restore(ref: PathwayRef, stored: unknown): boolean {
    const parsed = PathwaySchema.safeParse(stored);
    if (!parsed.success || hashPathway(parsed.data) !== ref.hash) {
      return false;
    }
    const machine = compilePathway(parsed.data, this.#scale);
    this.#byHash.set(ref.hash, {
      pathway: parsed.data,
      machine,
      source: { file: `archive:${ref.id}@${ref.version}`, lineAt: () => 1 },
    });
    return true;
  }
}
