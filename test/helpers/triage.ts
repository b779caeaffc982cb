import { join } from 'node:path';
import {
  loadDispositions,
  loadPathway,
  type CheckedPathway,
  type DispositionScale,
  type PathwayError,
} from '../../src/triage/index.js';

export const FIXTURES = 'test/fixtures/pathways';

let scale: DispositionScale | undefined;

/** The real disposition scale from data/dispositions.yaml, loaded once per test file. */
export function realScale(): DispositionScale {
  if (!scale) {
    const loaded = loadDispositions('data/dispositions.yaml');
    if (!loaded.scale) {
      throw new Error(`data/dispositions.yaml does not load: ${JSON.stringify(loaded.errors)}`);
    }
    scale = loaded.scale;
  }
  return scale;
}

export function fixturePath(name: string): string {
  return join(FIXTURES, `${name}.yaml`);
}

/** Loads a fixture pathway; throws if it has errors (for fixtures meant to be valid). */
export function checkedFixture(name: string): CheckedPathway {
  const { checked, errors } = loadPathway(fixturePath(name), realScale());
  if (!checked) {
    throw new Error(`fixture ${name} has errors: ${errors.map((e) => e.message).join('; ')}`);
  }
  return checked;
}

export function fixtureErrors(name: string): PathwayError[] {
  return loadPathway(fixturePath(name), realScale()).errors;
}
