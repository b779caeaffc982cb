// Lint is where the folder rules of ARCHITECTURE.md are enforced: a forbidden import fails
// `npm run lint` (see docs/adr/0006-folder-dependency-rules.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const folders = ['shared', 'triage', 'booking', 'crm', 'flows', 'channels', 'cli'];

/** Import patterns that reach into another src folder (any depth of ../). */
const intoFolder = (name) => [`**/${name}/*`, `**/${name}`, `../${name}/**`];

/** Forbid every src folder except the allowed ones, plus outside packages. */
function folderRule(self, allowed, packages, extraMessage = '') {
  const patterns = folders
    .filter((f) => f !== self && !allowed.includes(f))
    .map((f) => ({
      group: intoFolder(f),
      message: `src/${self}/ may not import src/${f}/ (ARCHITECTURE.md, folder rules).${extraMessage}`,
    }));
  // A folder may be imported, but only through its index.ts (no deep imports).
  for (const f of allowed) {
    patterns.push({
      group: [`**/${f}/*`, `!**/${f}/index.js`],
      message: `Import src/${f}/ through its index.ts, not its internal files.`,
    });
  }
  const paths = packages.map((name) => ({
    name,
    message: `'${name}' has one home in this codebase; src/${self}/ is not it (CONVENTIONS.md).`,
  }));
  return ['error', { patterns, paths }];
}

/**
 * Two blocks for a folder with stores: ioredis is forbidden in it except in its
 * `*.store.redis.ts` adapters (CONVENTIONS.md: each outside package has one home).
 */
function withRedisStores(self, allowed, packages) {
  return [
    {
      files: [`src/${self}/**/*.ts`],
      ignores: [`src/${self}/**/*.store.redis.ts`],
      rules: { 'no-restricted-imports': folderRule(self, allowed, [...packages, 'ioredis']) },
    },
    {
      files: [`src/${self}/**/*.store.redis.ts`],
      rules: { 'no-restricted-imports': folderRule(self, allowed, packages) },
    },
  ];
}

const noProcessEnv = [
  'error',
  {
    object: 'process',
    property: 'env',
    message: 'Only src/config.ts reads process.env; take what you need from Config.',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      curly: 'error',
      eqeqeq: 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-properties': noProcessEnv,
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name=/^(test|it|describe)$/][property.name='only']",
          message: 'Remove .only before committing.',
        },
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  {
    // The chat page's script runs in the browser as plain JavaScript, with no build step.
    files: ['src/channels/web/page/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { ...globals.browser },
      sourceType: 'script',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': folderRule(
        'shared',
        [],
        ['xstate', 'ioredis', 'express', 'botbuilder', 'twilio', 'yaml'],
      ),
    },
  },
  {
    files: ['src/triage/**/*.ts'],
    ignores: ['src/triage/load.ts'],
    rules: {
      'no-restricted-imports': folderRule(
        'triage',
        [],
        ['ioredis', 'express', 'botbuilder', 'twilio', 'pino', 'yaml'],
      ),
    },
  },
  {
    files: ['src/triage/load.ts'],
    rules: {
      'no-restricted-imports': folderRule(
        'triage',
        [],
        ['ioredis', 'express', 'botbuilder', 'twilio', 'pino'],
      ),
    },
  },
  ...withRedisStores('booking', ['shared'], ['xstate', 'express', 'botbuilder', 'twilio', 'yaml']),
  ...withRedisStores('crm', ['shared'], ['xstate', 'express', 'botbuilder', 'twilio', 'yaml']),
  ...withRedisStores(
    'flows',
    ['shared', 'triage', 'booking', 'crm'],
    ['express', 'botbuilder', 'twilio', 'yaml'],
  ),
  {
    files: ['src/channels/**/*.ts'],
    rules: {
      'no-restricted-imports': folderRule(
        'channels',
        ['shared', 'flows'],
        ['xstate', 'ioredis', 'yaml'],
      ),
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': folderRule(
        'cli',
        ['triage'],
        ['ioredis', 'express', 'botbuilder', 'twilio', 'yaml'],
      ),
    },
  },
  {
    files: [
      'src/config.ts',
      'src/main.ts',
      'src/chat.ts',
      'src/cli/**/*.ts',
      'test/helpers/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', 'data/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
