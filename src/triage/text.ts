import { stemmer } from 'stemmer';

/**
 * Shared text handling for answers, complaints and red flags: the same message must read the
 * same way to each of them. People write "cant breath", "she's", "isnt" and "diarhea"; all of
 * these are made comparable here.
 */

const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan\s*not\b/g, 'cannot'],
  [/\bcan'?t\b/g, 'cannot'],
  [/\bwon'?t\b/g, 'will not'],
  [/\bshan'?t\b/g, 'shall not'],
  [/\bain'?t\b/g, 'is not'],
  [/\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)n'?t\b/g, '$1 not'],
  [/\bi'?m\b/g, 'i am'],
  [/\b(he|she|it|that|there|what|who|where|baby|everything|nothing)'s\b/g, '$1 is'],
  [/\b(he|she|that|there)s\b/g, '$1 is'],
  [/\b(you|we|they)'re\b/g, '$1 are'],
  [/\b(i|you|we|they)'ve\b/g, '$1 have'],
  [/\b(i|you|he|she|we|they)'d\b/g, '$1 would'],
  [/\b(i|you|he|she|we|they|it)'ll\b/g, '$1 will'],
  [/'s\b/g, ''],
  [/\bu\b/g, 'you'],
  [/\bur\b/g, 'your'],
  [/\bpls\b|\bplz\b/g, 'please'],
  [/\bidk\b/g, 'i do not know'],
  [/\bdunno\b/g, 'do not know'],
];

/**
 * Lower-case, straight quotes, contractions expanded, other punctuation turned into spaces or
 * clause breaks (`.`), numbers kept with their decimal point.
 */
export function normalise(text: string): string {
  // One message is normalised by several readers in a turn (commands, red flags, each answer
  // guard); a small memo of recent texts saves the repeated work.
  const known = normalised.get(text);
  if (known !== undefined) {
    return known;
  }
  const result = normaliseUncached(text);
  if (normalised.size >= 2000) {
    normalised.clear();
  }
  normalised.set(text, result);
  return result;
}

const normalised = new Map<string, string>();

function normaliseUncached(text: string): string {
  let s = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    .replace(/[“”]/g, '"');
  for (const [pattern, replacement] of CONTRACTIONS) {
    s = s.replace(pattern, replacement);
  }
  return s
    .replace(/(\d),(\d)/g, '$1.$2')
    .replace(/[!?;:]+|\.(?!\d)/g, ' . ')
    .replace(/,/g, ' , ')
    .replace(/[^a-z0-9.,°' ]+/g, ' ')
    .replace(/'/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of a text (after normalising), without punctuation tokens. */
export function words(text: string): string[] {
  return normalise(text)
    .split(' ')
    .filter((w) => w !== '' && w !== '.' && w !== ',');
}

/**
 * A text split into clauses: sentences, and parts joined by "but" / "although" / "however", each
 * a list of tokens. Commas stay as "," tokens: they end a negation's reach but not a phrase.
 */
export function clauses(text: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const t of normalise(text).split(' ')) {
    if (t === '.' || t === 'but' || t === 'although' || t === 'though' || t === 'however') {
      if (current.length > 0) {
        out.push(current);
      }
      current = [];
    } else if (t !== '') {
      current.push(t);
    }
  }
  if (current.length > 0) {
    out.push(current);
  }
  return out;
}

const stemCache = new Map<string, string>();

/** Porter stem, cached: "vomiting" and "vomit" compare equal. */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stemCache.size < 50_000) {
      stemCache.set(word, s);
    }
  }
  return s;
}

/** Optimal string alignment distance (edits plus swaps of neighbours), capped for speed. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) {
    return cap + 1;
  }
  const prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      }
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > cap) {
      return cap + 1;
    }
    prev2.splice(0, prev2.length, ...prev);
    prev = row;
  }
  return prev[b.length] ?? cap + 1;
}

/** How many typing slips a word of this length may carry and still match. */
function allowance(length: number): number {
  if (length >= 8) {
    return 2;
  }
  return length >= 5 ? 1 : 0;
}

/**
 * Whether a written word matches a known word: equal, same stem, or a likely misspelling of it
 * ("diarhea" for "diarrhoea", "breathng" for "breathing").
 */
export function sameWord(written: string, known: string): boolean {
  if (written === known) {
    return true;
  }
  if (/\d/.test(written) || /\d/.test(known)) {
    return false;
  }
  const ws = stem(written);
  const ks = stem(known);
  if (ws === ks) {
    return true;
  }
  // Words and stems each get the allowance for their own length: a short stem of a long word
  // ("suicid") must not borrow the long word's two slips ("subsided" is not "suicidal").
  // A misspelling is often shorter than the word it means ("diarhea"), so the known word's
  // length sets the allowance, as long as what was written is not itself a short word.
  const wordAllowed = written.length >= 5 ? allowance(known.length) : 0;
  const stemAllowed = allowance(Math.min(ws.length, ks.length));
  return (
    (wordAllowed > 0 && editDistance(written, known, wordAllowed) <= wordAllowed) ||
    (stemAllowed > 0 && editDistance(ws, ks, stemAllowed) <= stemAllowed)
  );
}

const NUMBER_WORDS: Record<string, number> = {
  zero: 0,
  none: 0,
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  couple: 2,
  few: 3,
  several: 3,
  half: 0.5,
};

/** "two" → 2, "twenty one" handled by the caller summing; undefined for non-number words. */
export function numberWord(word: string): number | undefined {
  return NUMBER_WORDS[word];
}
