/**
 * SMS segments, as carriers count them. A message in the GSM-7 alphabet fits 160 characters in
 * one segment, or 153 per segment once it is split (the rest carries the joining header); the
 * characters of the GSM-7 extension table take two places each and are never cut in half. One
 * character outside GSM-7 turns the whole message into UCS-2: 70 in one segment, 67 per part,
 * so a single curly quote can more than double what a message costs and how it is cut up.
 * Everything here is pure, so the counting and the splitting can be tested on their own.
 */

export type Encoding = 'GSM-7' | 'UCS-2';

export const SEGMENT_LIMITS: Record<Encoding, { single: number; multi: number }> = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
};

/** At most this many segments per message we send (the brief for every answer). */
export const MAX_SEGMENTS = 3;

/** The GSM 03.38 basic character set (the escape character itself left out). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** The extension table: each is sent as escape + character, so it takes two places. */
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

export function isGsm7(text: string): boolean {
  for (const ch of text) {
    if (!GSM7_BASIC.has(ch) && !GSM7_EXTENSION.has(ch)) {
      return false;
    }
  }
  return true;
}

export function encodingOf(text: string): Encoding {
  return isGsm7(text) ? 'GSM-7' : 'UCS-2';
}

/** How many places one character takes in the given encoding. */
function widthOf(ch: string, encoding: Encoding): number {
  if (encoding === 'UCS-2') {
    return ch.length; // UTF-16 code units: a character beyond the BMP is a surrogate pair
  }
  return GSM7_EXTENSION.has(ch) ? 2 : 1;
}

export interface SegmentCount {
  encoding: Encoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  /** 0 for an empty text. */
  segments: number;
}

/**
 * Segments of a text. Past one segment, parts are filled in order and a character that does not
 * fit whole (an escaped GSM-7 character, a surrogate pair) starts the next part, as handsets do.
 */
export function countSegments(text: string): SegmentCount {
  const encoding = encodingOf(text);
  const { single, multi } = SEGMENT_LIMITS[encoding];
  const widths = Array.from(text, (ch) => widthOf(ch, encoding));
  const units = widths.reduce((a, b) => a + b, 0);
  if (units === 0) {
    return { encoding, units, segments: 0 };
  }
  if (units <= single) {
    return { encoding, units, segments: 1 };
  }
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > multi) {
      segments += 1;
      used = 0;
    }
    used += w;
  }
  return { encoding, units, segments };
}

export function fitsSegments(text: string, max: number = MAX_SEGMENTS): boolean {
  return countSegments(text).segments <= max;
}

/**
 * Common characters outside GSM-7 and the GSM-7 text that stands in for them. Word processors
 * and copied web text bring in curly quotes, dashes and ellipses; any one of them would make
 * the message UCS-2.
 */
const REPLACEMENTS: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '`': "'",
  '\u00B4': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u2022': '-',
  '\u00B7': '.',
  '\u00D7': 'x',
  '\u00F7': '/',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u00BD': '1/2',
  '\u00BC': '1/4',
  '\u00BE': '3/4',
  '\u00B0': ' degrees',
  '\u2122': 'TM',
  '\u00A9': '(c)',
  '\u00AE': '(R)',
  '\u2192': '->',
  '\u2190': '<-',
  '\t': ' ',
  // Spaces of other widths are plain spaces; invisible characters go.
  '\u00A0': ' ',
  '\u2000': ' ',
  '\u2001': ' ',
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2004': ' ',
  '\u2005': ' ',
  '\u2006': ' ',
  '\u2007': ' ',
  '\u2008': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u202F': ' ',
  '\u205F': ' ',
  '\u3000': ' ',
  '\u200B': '',
  '\u200C': '',
  '\u200D': '',
  '\u2060': '',
  '\uFEFF': '',
  '\u00AD': '',
};

/** One character as GSM-7 text: itself, a stand-in, the letter without its accent, or "?". */
function gsm7Of(ch: string): string {
  if (GSM7_BASIC.has(ch) || GSM7_EXTENSION.has(ch)) {
    return ch;
  }
  const replacement = REPLACEMENTS[ch];
  if (replacement !== undefined) {
    return replacement;
  }
  // "á", "ç", "ô": the base letter is GSM-7 once the accent is taken off.
  const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
  if (bare !== '' && isGsm7(bare)) {
    return bare;
  }
  return '?';
}

/**
 * The text in the GSM-7 alphabet only, so a message is never sent as UCS-2 by accident.
 * "°C" and "°F" become "C" and "F", which read better in a temperature than "degrees C".
 */
export function toGsm7(text: string): string {
  const prepared = text.replace(/\r\n?/g, '\n').replace(/\u00B0(?=[CF]\b)/g, '');
  let out = '';
  for (const ch of prepared) {
    out += gsm7Of(ch);
  }
  return out;
}

/** Sentences, each keeping its closing punctuation (and a closing quote or bracket after it). */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?]["')]?)\s+(?=\S)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Cuts a text that has no spaces left to cut at into pieces that each fit. */
function hardSplit(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const ch of text) {
    if (current !== '' && !fitsSegments(current + ch, max)) {
      pieces.push(current);
      current = '';
    }
    current += ch;
  }
  if (current !== '') {
    pieces.push(current);
  }
  return pieces;
}

/** Joins parts with the separator while the result fits; a part too long alone is cut by `cut`. */
function greedyJoin(
  parts: string[],
  separator: string,
  max: number,
  cut: (part: string) => string[],
): string[] {
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    const pieces = fitsSegments(part, max) ? [part] : cut(part);
    for (const piece of pieces) {
      const joined = current === '' ? piece : `${current}${separator}${piece}`;
      if (fitsSegments(joined, max)) {
        current = joined;
      } else {
        if (current !== '') {
          out.push(current);
        }
        current = piece;
      }
    }
  }
  if (current !== '') {
    out.push(current);
  }
  return out;
}

/**
 * A text cut into pieces of at most `max` segments: between lines and sentences where it can,
 * between words inside a sentence too long for one message, and inside a word only as a last
 * resort.
 */
export function splitToFit(text: string, max: number = MAX_SEGMENTS): string[] {
  if (fitsSegments(text, max)) {
    return text === '' ? [] : [text];
  }
  const byWord = (sentence: string): string[] =>
    greedyJoin(sentence.split(/ +/), ' ', max, (word) => hardSplit(word, max));
  const bySentence = (line: string): string[] => greedyJoin(splitSentences(line), ' ', max, byWord);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return greedyJoin(lines, '\n', max, bySentence);
}

/**
 * Blocks (one per reply) packed into as few messages as fit, in order, each at most `max`
 * segments. Blocks in one message are separated by a blank line; a block too long for one
 * message is split at sentence boundaries first.
 */
export function packMessages(blocks: readonly string[], max: number = MAX_SEGMENTS): string[] {
  const pieces = blocks.flatMap((b) => splitToFit(b.trim(), max));
  return greedyJoin(pieces, '\n\n', max, (piece) => [piece]);
}
