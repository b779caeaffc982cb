import { describe, expect, test } from 'vitest';
import { describeConfig, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  test('when nothing is set, then the embedded defaults apply', () => {
    expect(loadConfig({})).toEqual({
      ok: true,
      config: { port: 3000, pathwaysDir: 'data/pathways', dataDir: 'data', logLevel: 'info' },
    });
  });

  test('when values are set, then they are parsed and typed', () => {
    expect(loadConfig({ PORT: '8080', PATHWAYS_DIR: 'x', LOG_LEVEL: 'debug' })).toMatchObject({
      ok: true,
      config: { port: 8080, pathwaysDir: 'x', logLevel: 'debug' },
    });
  });

  test('when several values are wrong, then every problem is listed, one line each', () => {
    const result = loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^LOG_LEVEL: /),
    ]);
  });

  test('when the settings are described, then every one has a description', () => {
    for (const { name, description } of describeConfig()) {
      expect(description, name).not.toBe('');
    }
  });
});
