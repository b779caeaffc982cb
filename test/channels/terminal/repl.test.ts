import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { renderReplies, runTerminal } from '../../../src/channels/terminal/repl.js';
import { buildTestApp } from '../../helpers/app.js';

describe('terminal channel', () => {
  test('when a question has options, then they are numbered and a number picks one', async () => {
    const { engine } = buildTestApp();
    let output = '';
    await runTerminal(engine, {
      lines: Readable.from(['2', '1', 'headache', '1', '34', '1']) as AsyncIterable<string>,
      write: (t) => {
        output += t;
      },
    });
    expect(output).toContain('   1. Yes\n   2. No');
    expect(output).toContain('It sounds like this is about: Headache');
    expect(output).toMatch(/!! Call 999 now\./);
    expect(output).toContain('Because: You have signs that could mean a stroke');
  });

  test('when an outcome is rendered, then its reasons are listed', () => {
    const { text } = renderReplies([
      {
        kind: 'outcome',
        text: 'See a GP today.',
        expects: 'none',
        disposition: {
          code: 'GP_6H',
          category: 'urgent',
          rank: 7,
          service: 'gp',
          label: 'x',
          reasons: ['It hurts'],
        },
      },
    ]);
    expect(text).toContain('>> See a GP today.\n   Because: It hurts');
  });
});
