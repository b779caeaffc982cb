import { describe, expect, test } from 'vitest';
import {
  HELP_ACTION,
  MAX_SUGGESTED_ACTIONS,
  renderReplies,
  renderText,
} from '../../../src/channels/botframework/render.js';
import type { Reply, ReplyDisposition } from '../../../src/flows/index.js';

function aQuestion(overrides: Partial<Reply> = {}): Reply {
  return {
    kind: 'question',
    text: 'Do you have a high temperature?',
    expects: 'yes-no',
    options: [
      { id: 'yes', label: 'Yes' },
      { id: 'no', label: 'No' },
    ],
    ...overrides,
  };
}

function aStatement(text = 'Thank you.'): Reply {
  return { kind: 'statement', text, expects: 'none' };
}

function aDisposition(overrides: Partial<ReplyDisposition> = {}): ReplyDisposition {
  return {
    code: 'ED_1H',
    category: 'emergency',
    rank: 3,
    service: 'emergency-department',
    label: 'Go to A&E now',
    reasons: ['You said the pain spreads to your arm', 'You said you feel sweaty'],
    ...overrides,
  };
}

describe('Bot Framework rendering: activities', () => {
  test('when a turn has a statement and a question, then each is one Markdown message and only the last carries the options', () => {
    const activities = renderReplies([aStatement(), aQuestion()]);

    expect(activities).toHaveLength(2);
    expect(activities[0]).toEqual({
      type: 'message',
      text: 'Thank you.',
      textFormat: 'markdown',
      inputHint: 'acceptingInput',
    });
    expect(activities[1]).toMatchObject({
      type: 'message',
      text: 'Do you have a high temperature?',
      inputHint: 'expectingInput',
      suggestedActions: {
        to: [],
        actions: [
          { type: 'imBack', title: 'Yes', value: 'Yes' },
          { type: 'imBack', title: 'No', value: 'No' },
        ],
      },
    });
  });

  test('when a statement follows the last question, then the question’s options move to the last activity', () => {
    const activities = renderReplies([aQuestion(), aStatement('Take your time.')]);

    expect(activities[0]?.suggestedActions).toBeUndefined();
    expect(activities[1]?.suggestedActions?.actions.map((a) => a.title)).toEqual(['Yes', 'No']);
  });

  test('when no reply is a question, then there are no suggested actions', () => {
    const activities = renderReplies([aStatement(), aStatement('Goodbye.')]);

    expect(activities.some((a) => a.suggestedActions)).toBe(false);
    expect(activities.map((a) => a.inputHint)).toEqual(['acceptingInput', 'acceptingInput']);
  });

  test('when a yes/no question comes without options, then Yes and No are offered', () => {
    const [activity] = renderReplies([aQuestion({ options: undefined })]);

    expect(activity?.suggestedActions?.actions.map((a): unknown => a.value)).toEqual(['Yes', 'No']);
  });

  test('when a question has help, then "What does this mean?" follows its options', () => {
    const [activity] = renderReplies([aQuestion({ help: 'A temperature of 38C or more.' })]);

    expect(activity?.suggestedActions?.actions.map((a) => a.title)).toEqual([
      'Yes',
      'No',
      HELP_ACTION,
    ]);
  });

  test('when a question has more options than fit as buttons, then all are listed by number in the text', () => {
    const options = Array.from({ length: MAX_SUGGESTED_ACTIONS + 2 }, (_, i) => ({
      id: `o${i + 1}`,
      label: `Option ${i + 1}`,
    }));

    const [activity] = renderReplies([
      aQuestion({ text: 'Which one?', expects: 'choice', options }),
    ]);

    expect(activity?.suggestedActions?.actions).toHaveLength(MAX_SUGGESTED_ACTIONS);
    const lines = activity?.text?.split('\n') ?? [];
    expect(lines[0]).toBe('Which one?');
    expect(lines.slice(2)).toEqual(options.map((o, i) => `${i + 1}. ${o.label}`));
  });
});

describe('Bot Framework rendering: text', () => {
  test('when an outcome is rendered, then its label is bold and its reasons are a bulleted list', () => {
    const text = renderText({
      kind: 'outcome',
      text: 'Go to your nearest A&E within the hour.',
      expects: 'none',
      disposition: aDisposition(),
    });

    expect(text.split('\n\n')).toEqual([
      '**Go to A&E now**',
      'Go to your nearest A&E within the hour.',
      'Why we are advising this:',
      '- You said the pain spreads to your arm\n- You said you feel sweaty',
    ]);
  });

  test("when the text opens with the label's words but not the whole word, then the label is a heading", () => {
    const text = renderText({
      kind: 'outcome',
      text: 'Call 999 nowhere else.',
      expects: 'none',
      disposition: aDisposition({ label: 'Call 999 now', reasons: [] }),
    });

    expect(text).toBe('**Call 999 now**\n\nCall 999 nowhere else.');
  });

  test('when an emergency text already opens with its label, then the label is made bold in place, not repeated', () => {
    const text = renderText({
      kind: 'emergency',
      text: 'Call 999 now. Do not drive yourself.',
      expects: 'none',
      disposition: aDisposition({ label: 'Call 999 now', reasons: ['You told us about: X.'] }),
    });

    expect(text).toBe(
      '**Call 999 now**. Do not drive yourself.\n\nWhy we are advising this:\n\n- You told us about: X.',
    );
  });

  test('when an outcome has no reasons, then no empty heading is shown', () => {
    const text = renderText({
      kind: 'outcome',
      text: 'Ask a pharmacist for advice today.',
      expects: 'none',
      disposition: aDisposition({ label: 'See a pharmacist', reasons: [] }),
    });

    expect(text).toBe('**See a pharmacist**\n\nAsk a pharmacist for advice today.');
  });

  test('when text holds Markdown characters, then they are shown as written', () => {
    expect(renderText(aStatement('Take 2*500mg [not more] of drug_x `now`'))).toBe(
      'Take 2\\*500mg \\[not more\\] of drug\\_x \\`now\\`',
    );
  });
});
