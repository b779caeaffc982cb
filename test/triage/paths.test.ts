import { describe, expect, test } from 'vitest';
import { pathwayDiagram, summarisePaths } from '../../src/triage/index.js';
import { checkedFixture, realScale } from '../helpers/triage.js';

describe('summarisePaths', () => {
  test('when the valid fixture is walked, then every path is counted per outcome with its question counts', () => {
    const summary = summarisePaths(checkedFixture('valid'));
    expect(summary).toEqual({
      pathway: 'valid@1',
      total: 4,
      unfinished: 0,
      outcomes: [
        {
          outcome: 'dx.CALL_999',
          disposition: 'CALL_999',
          paths: 1,
          fewestQuestions: 1,
          mostQuestions: 1,
        },
        {
          outcome: 'dx.GP_24H',
          disposition: 'GP_24H',
          paths: 2,
          fewestQuestions: 2,
          mostQuestions: 3,
        },
        {
          outcome: 'home',
          disposition: 'SELF_CARE',
          paths: 1,
          fewestQuestions: 3,
          mostQuestions: 3,
        },
      ],
    });
  });
});

describe('pathwayDiagram', () => {
  const chart = pathwayDiagram(checkedFixture('valid'), realScale());

  test('when drawn, then it is a Mermaid flowchart with every question and answer', () => {
    expect(chart.startsWith('flowchart TD\n')).toBe(true);
    expect(chart).toContain('n_danger{"Is there danger?"}:::redflag');
    expect(chart).toContain('n_where -->|"Leg"| dx_GP_24H');
    expect(chart).toContain('n_temperature -->|"Below 38 °C"| n_home');
  });

  test('when an outcome is drawn, then it is coloured by its category', () => {
    expect(chart).toContain('dx_CALL_999(["Call 999 now<br/>CALL_999"]):::emergency');
    expect(chart).toContain(':::selfcare');
  });

  test("when a question has no written don't-know route, then the implied one is drawn dotted", () => {
    expect(chart).toContain(`n_danger -.->|"Don't know (most urgent answer)"| dx_CALL_999`);
  });
});
