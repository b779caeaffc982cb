import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { knownPathwayKeys, pathwayJsonSchema } from '../../src/triage/index.js';

describe('pathway.schema.json', () => {
  test('when the zod schema is exported again, then it equals the committed copy (run npm run schema:export if not)', () => {
    const committed: unknown = JSON.parse(
      readFileSync('data/pathways/pathway.schema.json', 'utf8'),
    );
    expect(committed).toEqual(pathwayJsonSchema());
  });

  test('when editors read the schema, then every node type and field is described', () => {
    const keys = knownPathwayKeys();
    for (const key of [
      'ask',
      'voice',
      'help',
      'redFlag',
      'unsure',
      'options',
      'ranges',
      'because',
      'disposition',
      'advice',
      'safetyNet',
    ]) {
      expect(keys).toContain(key);
    }
  });
});
