import type { CheckedPathway } from './bundle.js';

/**
 * Pathways by id and version. A conversation pins the version it started with, so a newer file
 * never changes a conversation in flight: old versions stay here for as long as the process
 * lives, and `get(id, version)` answers undefined for a version it never saw (the conversation
 * layer then ends that conversation safely).
 */
export class PathwayCatalogue {
  readonly #versions = new Map<string, Map<number, CheckedPathway>>();

  constructor(pathways: readonly CheckedPathway[] = []) {
    pathways.forEach((p) => {
      this.add(p);
    });
  }

  add(checked: CheckedPathway): void {
    const { id, version } = checked.pathway;
    let byVersion = this.#versions.get(id);
    if (!byVersion) {
      byVersion = new Map();
      this.#versions.set(id, byVersion);
    }
    byVersion.set(version, checked);
  }

  /** A pinned version, or the newest when no version is given. */
  get(id: string, version?: number): CheckedPathway | undefined {
    const byVersion = this.#versions.get(id);
    if (!byVersion) {
      return undefined;
    }
    if (version !== undefined) {
      return byVersion.get(version);
    }
    const newest = Math.max(...byVersion.keys());
    return byVersion.get(newest);
  }

  /** The newest version of every pathway, by id. */
  latest(): CheckedPathway[] {
    return [...this.#versions.keys()]
      .sort()
      .map((id) => this.get(id))
      .filter((p): p is CheckedPathway => p !== undefined);
  }
}
