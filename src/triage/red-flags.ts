import { z } from 'zod';
import { clauses, editDistance, normalise, sameWord, stem } from './text.js';

/**
 * Global red flags: phrases that mean an emergency whatever pathway the patient is on. They are
 * data (data/red-flags.yaml) written in a small phrase language so clinical authors can say
 * "cannot wake {who}" once instead of listing every person:
 *
 *   word        a word; plurals, other endings and likely misspellings match too
 *   =word       exactly this word: for words one typo away from an everyday word
 *               ("=choking" must not match "cooking", "=stabbed" not "stabbing pain")
 *   (a|b|c)     one of these words (each may be =word)
 *   [word]      an optional word (also [a|b])
 *   {who}       a person: him, her, my son, the baby, my dad, ... and also I, me, we, you
 *   {they}      a person other than the writer: him, her, my son, the baby, ... but not I, me,
 *               we, you or it ("{they} will not wake up" must not match "I won't wake up early")
 *   ...         up to four words in between (never a negation: "baby, not feverish")
 *   *           any one word
 *   !word       the next word is not this one (also !(a|b)): "(cannot) breathe !through" leaves
 *               out "I can't breathe through my nose"
 *
 * Words of a phrase are normalised like the patient's text, so "can't" in a phrase means
 * "cannot" and "isn't" means "is not".
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
  people: z.array(Text).min(1).describe('Words for a person, used by {who} and {they} in phrases.'),
  flags: z.array(RedFlagSchema).min(1),
});
export type RedFlagFile = z.infer<typeof RedFlagFileSchema>;

interface WordOption {
  word: string;
  /** Written =word: only this exact word, no other endings or misspellings. */
  exact: boolean;
}

type Matcher =
  | { kind: 'word'; options: WordOption[]; optional: boolean }
  | { kind: 'who'; others: boolean }
  | { kind: 'gap' }
  | { kind: 'any' }
  | { kind: 'notNext'; options: WordOption[] };

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
/** Pronouns for the writer or the reader, which {they} leaves out. */
const FIRST_AND_SECOND = new Set(['i', 'me', 'we', 'us', 'you', 'it', 'myself']);
const DETERMINERS = new Set(['my', 'our', 'the', 'his', 'her', 'their', 'your', 'a', 'this']);
/** Words that open a clause's subject: "no he isn't breathing" is an answer, not a negation. */
const SUBJECTS = new Set([
  'i',
  'he',
  'she',
  'they',
  'we',
  'it',
  'you',
  'my',
  'his',
  'our',
  'their',
]);
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
/** Words after "last" that make it recent, not past: "for the last 20 minutes". */
const RECENT_AFTER_LAST = new Set(['few', 'couple', 'hour', 'hours', 'minute', 'minutes', 'mins']);
/** Units before "ago" that make it recent: "it started 10 minutes ago". */
const RECENT_BEFORE_AGO = new Set([
  'second',
  'seconds',
  'secs',
  'minute',
  'minutes',
  'mins',
  'min',
  'hour',
  'hours',
  'hrs',
  'moment',
  'moments',
]);
/** Words before "had" that make it the present perfect: "I've had chest pain for an hour". */
const PERFECT = new Set(['have', 'has', 'is', 'ive', 'weve', 'theyve', 'youve']);
/** Words that may stand between "have" and "had": "the worst headache I've ever had". */
const ADVERBS = new Set(['ever', 'just', 'already', 'now', 'also', 'recently', 'only']);
const GAP = 4;
const NEGATION_WINDOW = 3;

const SYNTAX = 'use words, =word, (a|b), [optional], {who}, {they}, ..., * or !word';

/**
 * One word or option of a phrase, normalised like the patient's text so that a phrase written
 * "can't" matches the text "can't" (which the text reads as "cannot"). Without this an author's
 * natural "can't breathe" silently never matched anything.
 */
function readWord(raw: string, token: string): WordOption[] {
  const exact = raw.startsWith('=');
  const bare = exact ? raw.slice(1) : raw;
  if (!/^[a-z0-9']+$/.test(bare) || bare.replace(/'/g, '') === '') {
    throw new Error(`cannot read '${token}': ${SYNTAX}`);
  }
  return normalise(bare)
    .split(' ')
    .filter((w) => w !== '')
    .map((word) => ({ word, exact }));
}

function readOptions(token: string, body: string): WordOption[] {
  const options = body.split('|').map((o) => {
    const words = readWord(o, token);
    if (words.length !== 1) {
      throw new Error(`cannot read '${token}': '${o}' reads as several words; write them out`);
    }
    return words[0] as WordOption;
  });
  if (options.length === 0) {
    throw new Error(`cannot read '${token}': ${SYNTAX}`);
  }
  return options;
}

/** Compiles one phrase of the phrase language; throws with the reason on a malformed phrase. */
export function compilePhrase(phrase: string): Matcher[] {
  const spaced = phrase.toLowerCase().replace(/\s*\|\s*/g, '|');
  const matchers = spaced
    .split(/\s+/)
    .filter((t) => t !== '')
    .flatMap((t): Matcher[] => {
      if (t === '{who}' || t === '{they}') {
        return [{ kind: 'who', others: t === '{they}' }];
      }
      if (t === '...') {
        return [{ kind: 'gap' }];
      }
      if (t === '*') {
        return [{ kind: 'any' }];
      }
      if (t.startsWith('!')) {
        const body = t.slice(1);
        return [
          {
            kind: 'notNext',
            options: readOptions(t, /^\(.*\)$/.test(body) ? body.slice(1, -1) : body),
          },
        ];
      }
      if (/^\(.*\)$/.test(t)) {
        return [{ kind: 'word', options: readOptions(t, t.slice(1, -1)), optional: false }];
      }
      if (/^\[.*\]$/.test(t)) {
        return [{ kind: 'word', options: readOptions(t, t.slice(1, -1)), optional: true }];
      }
      // A plain word may read as several ("isn't" is "is not"): one matcher for each.
      return readWord(t, t).map((o) => ({ kind: 'word', options: [o], optional: false }));
    });
  // A phrase of optional words, gaps and look-aheads alone would match nothing or everything.
  if (!matchers.some((m) => (m.kind === 'word' && !m.optional) || m.kind === 'who')) {
    throw new Error(`'${phrase}' has no word that must be present: ${SYNTAX}`);
  }
  return matchers;
}

/** Matches a person at tokens[i]: a pronoun, or an optional determiner and a person word. */
function matchWho(
  tokens: readonly string[],
  i: number,
  people: ReadonlySet<string>,
  others: boolean,
): number[] {
  const ends: number[] = [];
  const t = tokens[i];
  if (t === undefined) {
    return ends;
  }
  if ((PRONOUNS.has(t) && !(others && FIRST_AND_SECOND.has(t))) || people.has(t)) {
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

/**
 * Typing slips a word of this length may carry and still match. Stricter than sameWord in
 * text.ts, which allows two slips from 8 letters and compares stems with the slips allowed for
 * the whole words. That reads "breaking" as "breathing", "coughing" as "crushing", "subsided" as
 * "suicidal" (stems subsid/suicid), "security" as "seizure" and "medication" as "menigitis". A
 * red flag interrupts the whole conversation with "call 999", so here a word may carry two
 * slips only from 10 letters, and two stems may differ only by the slips allowed for the stems'
 * own length. Single slips ("brething", "unconcious", "siezure") still match.
 */
function slips(length: number): number {
  if (length >= 10) {
    return 2;
  }
  return length >= 5 ? 1 : 0;
}

const closeCache = new Map<string, Map<string, boolean>>();
let closeCacheSize = 0;

function closeEnough(token: string, word: string): boolean {
  // Every phrase is tried at every word of a message: remember the answers (bounded, like the
  // stem cache in text.ts), which makes a long message several times faster to check.
  const known = closeCache.get(token);
  const cached = known?.get(word);
  if (cached !== undefined) {
    return cached;
  }
  const same = compareWords(token, word);
  if (closeCacheSize < 200_000) {
    closeCache.set(token, (known ?? new Map<string, boolean>()).set(word, same));
    closeCacheSize++;
  }
  return same;
}

function compareWords(token: string, word: string): boolean {
  if (token === word) {
    return true;
  }
  // A negation is never a misspelling of something else, nor the other way round: "never" must
  // not read as "fever", nor "nothing" as "nothings".
  if (NEGATIONS.has(token) || NEGATIONS.has(word) || !sameWord(token, word)) {
    return false;
  }
  const allowed = slips(Math.min(token.length, word.length));
  if (editDistance(token, word, allowed) <= allowed) {
    return true;
  }
  const ts = stem(token);
  const ws = stem(word);
  const stemAllowed = slips(Math.min(ts.length, ws.length));
  return ts === ws || editDistance(ts, ws, stemAllowed) <= stemAllowed;
}

function wordMatches(token: string, options: readonly WordOption[]): boolean {
  return (
    token !== ',' && options.some((o) => (o.exact ? token === o.word : closeEnough(token, o.word)))
  );
}

/** For !word: the same word or the same stem, without the misspelling allowance. */
function sameStem(token: string, options: readonly WordOption[]): boolean {
  return options.some((o) => token === o.word || (!o.exact && stem(token) === stem(o.word)));
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
    case 'notNext': {
      const t = tokens[i];
      return t !== undefined && sameStem(t, matcher.options)
        ? undefined
        : matchAt(matchers, m + 1, tokens, i, people);
    }
    case 'who': {
      for (const next of matchWho(tokens, i, people, matcher.others)) {
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
        // A gap never steps over a negation: "baby is feeding well, not feverish" is not
        // "baby ... feverish", and "stiff neck without fever" is not "stiff neck ... fever".
        if (NEGATIONS.has(tokens[j] ?? '')) {
          return undefined;
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
      // "no longer breathing" and "not stopping" are not negations of what follows, nor is
      // "not sure" (doubt counts as yes), nor "no" answering a question: "no he can't breathe".
      const after = tokens[j + 1] ?? '';
      if (t === 'no' && SUBJECTS.has(after)) {
        return false;
      }
      return !['longer', 'only', 'just', 'sure', 'certain'].includes(after);
    }
    counted++;
    if (counted >= (sawOr ? NEGATION_WINDOW * 3 : NEGATION_WINDOW)) {
      return false;
    }
  }
  return false;
}

/**
 * Whether the words around a match place it in the past. "Had", "last" and "ago" alone were too
 * eager: "I've had crushing chest pain for 20 minutes", "for the last hour" and "it started 10
 * minutes ago" are happening now, and a historical hit is only confirmed, not acted on.
 */
function isHistorical(tokens: readonly string[], start: number, end: number): boolean {
  const from = Math.max(0, start - 4);
  const to = Math.min(tokens.length, end + 4);
  for (let j = from; j < to; j++) {
    if (j >= start && j < end) {
      continue;
    }
    const t = tokens[j] ?? '';
    if (/^(19|20)\d\d$/.test(t)) {
      return true;
    }
    if (!HISTORY.has(t)) {
      continue;
    }
    const before = tokens[j - 1] ?? '';
    const after = tokens[j + 1] ?? '';
    const beforeAdverb = tokens[j - 2] ?? '';
    if (
      t === 'had' &&
      (PERFECT.has(before) || (ADVERBS.has(before) && PERFECT.has(beforeAdverb)))
    ) {
      continue;
    }
    if (t === 'last' && (RECENT_AFTER_LAST.has(after) || /^\d+$/.test(after))) {
      continue;
    }
    if (t === 'ago' && RECENT_BEFORE_AGO.has(before)) {
      continue;
    }
    return true;
  }
  return false;
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

/** Whether a phrase itself opens with a negation: "not breathing", "no pulse". */
function opensWithNegation(matchers: readonly Matcher[]): boolean {
  const first = matchers[0];
  return first?.kind === 'word' && first.options.some((o) => NEGATIONS.has(o.word));
}

/** How many distinct recent texts keep their detection result. */
const RECENT_RESULTS = 5000;

export class RedFlagDetector {
  readonly #recent = new Map<string, readonly RedFlagHit[]>();
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
    // Detection depends on the text alone, and the same short answers ("no", "yes", "2") come in
    // every conversation, so recent results are remembered. Hits are frozen: callers share them.
    const known = this.#recent.get(text);
    if (known) {
      return [...known];
    }
    const hits = this.#detect(text);
    if (this.#recent.size >= RECENT_RESULTS) {
      this.#recent.clear();
    }
    this.#recent.set(
      text,
      hits.map((h) => Object.freeze(h)),
    );
    return hits;
  }

  #detect(text: string): RedFlagHit[] {
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
          if (end === undefined || end === start) {
            continue;
          }
          // A phrase that itself opens with a negation ("not breathing", "no pulse") is what
          // was said; an earlier word cannot negate it again ("no, he's not breathing").
          if (
            !(opensWithNegation(matchers) && NEGATIONS.has(tokens[start] ?? '')) &&
            isNegated(tokens, start)
          ) {
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
