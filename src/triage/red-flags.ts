import { z } from 'zod';
import { clauses, sameWord } from './text.js';

/**
 * Global red flags: phrases that mean an emergency whatever pathway the patient is on. They are
 * data (data/red-flags.yaml) written in a small phrase language so clinical authors can say
 * "cannot wake {who}" once instead of listing every person:
 *
 *   word        a word; plurals, other endings and likely misspellings match too
 *   (a|b|c)     one of these words
 *   [word]      an optional word (also [a|b])
 *   {who}       a person: him, her, my son, the baby, my dad, ...
 *   ...         up to four words in between
 *   *           any one word
 *
 * A phrase preceded in its clause by a negation ("no chest pain", "not bleeding", "without")
 * does not count. When in doubt a phrase counts: a missed emergency is the worse error.
 */

const Text = z.string().trim().min(1);

export const RedFlagSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: Text.describe('What this red flag is, for clinicians and logs.'),
  disposition: z.string().describe('A code from data/dispositions.yaml.'),
  advice: Text.describe('The first-aid or interim advice given straight after the instruction.'),
  phrases: z.array(Text).min(1),
});
export type RedFlag = z.infer<typeof RedFlagSchema>;

export const RedFlagFileSchema = z.strictObject({
  version: z.int().min(1),
  sources: z.array(z.strictObject({ title: Text, url: z.url(), read: z.iso.date() })).min(1),
  people: z.array(Text).min(1).describe('Words for a person, used by {who} in phrases.'),
  flags: z.array(RedFlagSchema).min(1),
});
export type RedFlagFile = z.infer<typeof RedFlagFileSchema>;

type Matcher =
  | { kind: 'word'; options: string[]; optional: boolean }
  | { kind: 'who' }
  | { kind: 'gap' }
  | { kind: 'any' };

const PRONOUNS = new Set([
  'i',
  'me',
  'he',
  'him',
  'she',
  'her',
  'they',
  'them',
  'we',
  'us',
  'you',
  'it',
  'myself',
  'himself',
  'herself',
  'themselves',
]);
const DETERMINERS = new Set(['my', 'our', 'the', 'his', 'her', 'their', 'your', 'a', 'this']);
const NEGATIONS = new Set([
  'no',
  'not',
  'never',
  'without',
  'nor',
  'none',
  'neither',
  'deny',
  'denies',
  'denied',
  'nothing',
]);
const HISTORY = new Set([
  'had',
  'history',
  'previous',
  'previously',
  'ago',
  'past',
  'before',
  'last',
]);
const GAP = 4;
const NEGATION_WINDOW = 3;

/** Compiles one phrase of the phrase language; throws with the reason on a malformed phrase. */
export function compilePhrase(phrase: string): Matcher[] {
  const spaced = phrase
    .toLowerCase()
    .replace(/\s*\|\s*/g, '|')
    .replace(/'/g, '');
  return spaced
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t): Matcher => {
      if (t === '{who}') {
        return { kind: 'who' };
      }
      if (t === '...') {
        return { kind: 'gap' };
      }
      if (t === '*') {
        return { kind: 'any' };
      }
      const optional = /^\[.*\]$/.test(t);
      const alternatives = /^[([].*[)\]]$/.test(t) ? t.slice(1, -1) : t;
      const options = alternatives.split('|').filter((o) => o !== '');
      if (options.length === 0 || options.some((o) => !/^[a-z0-9]+$/.test(o))) {
        throw new Error(`cannot read '${t}': use words, (a|b), [optional], {who}, ... or *`);
      }
      return { kind: 'word', options, optional };
    });
}

/** Matches a person at tokens[i]: a pronoun, or an optional determiner and a person word. */
function matchWho(tokens: readonly string[], i: number, people: ReadonlySet<string>): number[] {
  const ends: number[] = [];
  const t = tokens[i];
  if (t === undefined) {
    return ends;
  }
  if (PRONOUNS.has(t) || people.has(t)) {
    ends.push(i + 1);
  }
  if (DETERMINERS.has(t)) {
    const n = tokens[i + 1];
    if (n !== undefined && people.has(n)) {
      ends.push(i + 2);
    }
    const n2 = tokens[i + 2];
    if (n !== undefined && n2 !== undefined && people.has(n2)) {
      ends.push(i + 3); // "my little boy"
    }
  }
  return ends;
}

function wordMatches(token: string, options: readonly string[]): boolean {
  return token !== ',' && options.some((o) => sameWord(token, o));
}

/** All end positions where the matchers match starting at token i. */
function matchAt(
  matchers: readonly Matcher[],
  m: number,
  tokens: readonly string[],
  i: number,
  people: ReadonlySet<string>,
): number | undefined {
  const matcher = matchers[m];
  if (matcher === undefined) {
    return i;
  }
  switch (matcher.kind) {
    case 'word': {
      const t = tokens[i];
      if (t !== undefined && wordMatches(t, matcher.options)) {
        const end = matchAt(matchers, m + 1, tokens, i + 1, people);
        if (end !== undefined) {
          return end;
        }
      }
      return matcher.optional ? matchAt(matchers, m + 1, tokens, i, people) : undefined;
    }
    case 'any': {
      const t = tokens[i];
      return t !== undefined && t !== ','
        ? matchAt(matchers, m + 1, tokens, i + 1, people)
        : undefined;
    }
    case 'who': {
      for (const next of matchWho(tokens, i, people)) {
        const end = matchAt(matchers, m + 1, tokens, next, people);
        if (end !== undefined) {
          return end;
        }
      }
      return undefined;
    }
    case 'gap': {
      for (let skip = 0, j = i; skip <= GAP && j <= tokens.length; j++) {
        const end = matchAt(matchers, m + 1, tokens, j, people);
        if (end !== undefined) {
          return end;
        }
        if (tokens[j] !== ',') {
          skip++;
        }
      }
      return undefined;
    }
  }
}

/**
 * Whether words before `start` negate the match: a negation a few words before it, with no comma
 * in between, or further back when the words between are a list joined by "or" ("no fever, rash
 * or stiff neck" negates all three).
 */
function isNegated(tokens: readonly string[], start: number): boolean {
  let counted = 0;
  let sawOr = false;
  for (let j = start - 1; j >= 0; j--) {
    const t = tokens[j] ?? '';
    if (t === ',' && !sawOr) {
      // A comma ends the reach of a negation unless the clause is an "or" list.
      if (!tokens.slice(start).includes('or') && !tokens.slice(j, start).includes('or')) {
        return false;
      }
      continue;
    }
    if (t === 'or' || t === 'nor') {
      sawOr = true;
    }
    if (NEGATIONS.has(t)) {
      // "no longer breathing" and "not stopping" are not negations of what follows.
      const after = tokens[j + 1];
      return after !== 'longer' && after !== 'only';
    }
    counted++;
    if (counted >= (sawOr ? NEGATION_WINDOW * 3 : NEGATION_WINDOW)) {
      return false;
    }
  }
  return false;
}

function isHistorical(tokens: readonly string[], start: number, end: number): boolean {
  const around = [...tokens.slice(Math.max(0, start - 4), start), ...tokens.slice(end, end + 4)];
  return around.some((t) => HISTORY.has(t) || /^(19|20)\d\d$/.test(t));
}

export interface RedFlagHit {
  flag: string;
  title: string;
  disposition: string;
  advice: string;
  /** The words that matched, as normalised. */
  matched: string;
  /** The words suggest a past event ("had a stroke in 2019"); confirm before acting on it. */
  historical: boolean;
}

interface CompiledFlag {
  flag: RedFlag;
  phrases: Matcher[][];
}

export class RedFlagDetector {
  readonly #flags: CompiledFlag[];
  readonly #people: ReadonlySet<string>;

  constructor(file: Pick<RedFlagFile, 'flags' | 'people'>) {
    this.#people = new Set(file.people.map((p) => p.toLowerCase()));
    this.#flags = file.flags.map((flag) => ({ flag, phrases: flag.phrases.map(compilePhrase) }));
  }

  get flags(): RedFlag[] {
    return this.#flags.map((f) => f.flag);
  }

  /** Every red flag present in the text (one hit per flag), in the order of the data file. */
  detect(text: string): RedFlagHit[] {
    const hits: RedFlagHit[] = [];
    const parts = clauses(text);
    for (const { flag, phrases } of this.#flags) {
      const hit = this.#firstHit(flag, phrases, parts);
      if (hit) {
        hits.push(hit);
      }
    }
    return hits;
  }

  #firstHit(flag: RedFlag, phrases: Matcher[][], parts: string[][]): RedFlagHit | undefined {
    for (const tokens of parts) {
      for (const matchers of phrases) {
        for (let start = 0; start < tokens.length; start++) {
          const end = matchAt(matchers, 0, tokens, start, this.#people);
          if (end === undefined || end === start || isNegated(tokens, start)) {
            continue;
          }
          return {
            flag: flag.id,
            title: flag.title,
            disposition: flag.disposition,
            advice: flag.advice,
            matched: tokens.slice(start, end).join(' '),
            historical: isHistorical(tokens, start, end),
          };
        }
      }
    }
    return undefined;
  }
}
