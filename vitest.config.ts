import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'data/**/*.test.ts'],
    environment: 'node',
    // CLI tests spawn a child process; the default 5 s is tight on a busy 2-core machine.
    testTimeout: 20_000,
    coverage: {
      include: ['src/triage/**', 'src/flows/**'],
      thresholds: { 'src/triage/**': { lines: 85, functions: 85 } },
    },
  },
});
