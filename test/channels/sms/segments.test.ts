import { describe, expect, test } from 'vitest';
import {
  countSegments,
  encodingOf,
  isGsm7,
  MAX_SEGMENTS,
  packMessages,
  splitSentences,
  splitToFit,
  toGsm7,
} from '../../../src/channels/sms/segments.js';

const a = (n: number): string => 'a'.repeat(n);

describe('countSegments', () => {
  test.each([
    ['empty', '', 'GSM-7', 0, 0],
    ['one character', 'a', 'GSM-7', 1, 1],
    ['160 GSM-7 characters', a(160), 'GSM-7', 160, 1],
    ['161 GSM-7 characters', a(161), 'GSM-7', 161, 2],
    ['306 GSM-7 characters (2 x 153)', a(306), 'GSM-7', 306, 2],
    ['307 GSM-7 characters', a(307), 'GSM-7', 307, 3],
    ['459 GSM-7 characters (3 x 153)', a(459), 'GSM-7', 459, 3],
    ['460 GSM-7 characters', a(460), 'GSM-7', 460, 4],
    ['£, é and Ä are in the basic set', '£5 café Äpfel', 'GSM-7', 13, 1],
    ['an extension character counts as two', `${a(158)}€`, 'GSM-7', 160, 1],
    ['an extension character past 160 makes two segments', `${a(159)}€`, 'GSM-7', 161, 2],
    // 152 + an escaped character (2) cannot share the first 153: it starts the second part.
    ['an escaped character is never cut across parts', `${a(152)}[${a(152)}`, 'GSM-7', 306, 3],
    ['70 UCS-2 characters', 'ж'.repeat(70), 'UCS-2', 70, 1],
    ['71 UCS-2 characters', 'ж'.repeat(71), 'UCS-2', 71, 2],
    ['134 UCS-2 characters (2 x 67)', 'ж'.repeat(134), 'UCS-2', 134, 2],
    ['135 UCS-2 characters', 'ж'.repeat(135), 'UCS-2', 135, 3],
    ['one curly quote makes a GSM-7 text UCS-2', `${a(100)}’`, 'UCS-2', 101, 2],
    ['an emoji is two UTF-16 units', '🙂', 'UCS-2', 2, 1],
    // 66 units then a surrogate pair: the pair does not fit in 67, so it opens part two.
    [
      'a surrogate pair is never cut across parts',
      `${'ж'.repeat(66)}🙂${'ж'.repeat(4)}`,
      'UCS-2',
      72,
      2,
    ],
  ])(
    'when the text is %s, then it is %s, %i units, %i segments',
    (_name, text, encoding, units, segments) => {
      expect(countSegments(text)).toEqual({ encoding, units, segments });
    },
  );
});

describe('isGsm7 and encodingOf', () => {
  test.each([
    ['Call 999 now.', true],
    ['Reply 1 for Yes, 2 for No.', true],
    ['{braces} [brackets] ~ | ^ \\ €', true],
    ["don't", true],
    ['don’t', false],
    ['a – b', false],
    ['wait…', false],
    ['naïve', false],
    ['🙂', false],
  ])('when the text is %j, then GSM-7 is %s', (text, gsm) => {
    expect(isGsm7(text)).toBe(gsm);
    expect(encodingOf(text)).toBe(gsm ? 'GSM-7' : 'UCS-2');
  });
});

describe('toGsm7', () => {
  test.each([
    ['curly single quotes', 'it’s ‘fine’', "it's 'fine'"],
    ['curly double quotes', '“yes”', '"yes"'],
    ['en and em dashes', 'a – b — c', 'a - b - c'],
    ['an ellipsis', 'wait…', 'wait...'],
    ['non-breaking and thin spaces', 'a\u00A0b\u2009c', 'a b c'],
    ['invisible characters', 'a\u200Bb\uFEFF', 'ab'],
    ['a temperature in degrees', '38°C or 100°F', '38C or 100F'],
    ['accents outside GSM-7', 'naïve façade', 'naive facade'],
    ['accents inside GSM-7', 'café Ñ ü', 'café Ñ ü'],
    ['a bullet and a times sign', '• 2×3', '- 2x3'],
    ['Windows line ends', 'a\r\nb', 'a\nb'],
    ['an emoji', 'ok 🙂', 'ok ?'],
  ])('when the text has %s, then it becomes GSM-7', (_name, input, output) => {
    expect(toGsm7(input)).toBe(output);
    expect(isGsm7(toGsm7(input))).toBe(true);
  });
});

describe('splitSentences', () => {
  test('when a text has sentences, then each keeps its punctuation and decimals stay whole', () => {
    expect(splitSentences('Call 999 now. Is it 38.5C? Yes! "Go." Then rest.')).toEqual([
      'Call 999 now.',
      'Is it 38.5C?',
      'Yes!',
      '"Go."',
      'Then rest.',
    ]);
  });
});

describe('splitToFit', () => {
  test('when a text fits, then it is one piece', () => {
    expect(splitToFit('Short.')).toEqual(['Short.']);
  });

  test('when a text is longer than 3 segments, then it is cut between sentences and each piece fits', () => {
    const sentence = `${'word '.repeat(20).trim()}.`; // 100 characters
    const text = Array(8).fill(sentence).join(' ');
    const pieces = splitToFit(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(countSegments(piece).segments).toBeLessThanOrEqual(MAX_SEGMENTS);
      expect(piece.endsWith('.')).toBe(true);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  test('when one sentence is too long, then it is cut between words', () => {
    const text = `${'long '.repeat(200).trim()}.`;
    const pieces = splitToFit(text);
    for (const piece of pieces) {
      expect(countSegments(piece).segments).toBeLessThanOrEqual(MAX_SEGMENTS);
      expect(piece.startsWith('long')).toBe(true);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  test('when a word alone is too long, then it is cut inside the word', () => {
    const pieces = splitToFit(a(1000));
    expect(pieces.map((p) => p.length)).toEqual([459, 459, 82]);
  });

  test('when lines are split, then line breaks are kept between lines', () => {
    const lines = Array.from({ length: 12 }, (_, i) => `${i + 1} ${'option '.repeat(6).trim()}`);
    const pieces = splitToFit(lines.join('\n'));
    expect(pieces.length).toBe(2);
    expect(pieces.join('\n')).toBe(lines.join('\n'));
  });
});

describe('packMessages', () => {
  test('when blocks fit together, then they share one message separated by a blank line', () => {
    expect(packMessages(['First.', 'Second.'])).toEqual(['First.\n\nSecond.']);
  });

  test('when blocks do not fit together, then they go in order into several messages', () => {
    const block = a(300);
    const messages = packMessages([block, block, 'end']);
    expect(messages).toEqual([block, `${block}\n\nend`]);
  });

  test('when the limit is one segment, then every message is one segment', () => {
    const messages = packMessages(['One sentence here. '.repeat(30)], 1);
    for (const m of messages) {
      expect(countSegments(m).segments).toBe(1);
    }
  });
});
