import { ESLint } from 'eslint';
import { describe, expect, test } from 'vitest';

/**
 * The folder rules of ARCHITECTURE.md are enforced by lint (docs/adr/0006). These cases lint
 * code as if it were written in a given file and check the rule fires, or does not.
 */

const eslint = new ESLint();

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('folder dependency rules', () => {
  test.each([
    {
      what: 'triage importing crm',
      file: 'src/triage/index.ts',
      code: "import { x } from '../crm/index.js';",
    },
    {
      what: 'triage importing express',
      file: 'src/triage/index.ts',
      code: "import express from 'express';",
    },
    {
      what: 'yaml outside triage/load.ts',
      file: 'src/triage/compile.ts',
      code: "import { parse } from 'yaml';",
    },
    {
      what: 'a deep import into triage',
      file: 'src/cli/pathways.ts',
      code: "import { x } from '../triage/compile.js';",
    },
    {
      what: 'shared importing channels',
      file: 'src/shared/logger.ts',
      code: "import { x } from '../channels/index.js';",
    },
    {
      what: 'shared importing cli',
      file: 'src/shared/errors.ts',
      code: "import { x } from '../cli/pathways.js';",
    },
  ])(
    'when code does $what, then lint refuses it',
    async ({ file, code }) => {
      expect(await ruleIds(`${code}\nexport const y = x;\n`, file)).toContain(
        'no-restricted-imports',
      );
    },
    30_000,
  );

  test('when code outside config reads process.env, then lint refuses it', async () => {
    expect(await ruleIds('export const port = process.env.PORT;\n', 'src/app.ts')).toContain(
      'no-restricted-properties',
    );
  }, 30_000);

  test('when the CLI imports triage through its index, then lint allows it', async () => {
    const ids = await ruleIds(
      "import { loadBundle } from '../triage/index.js';\nexport const y = loadBundle;\n",
      'src/cli/pathways.ts',
    );
    expect(ids).not.toContain('no-restricted-imports');
  }, 30_000);
});
