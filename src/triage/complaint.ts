import type { Pathway } from './pathway.schema.js';
import { sameWord, stem, words } from './text.js';

/**
 * Free text to pathway candidates. Each pathway lists the words patients use ("my head hurts",
 * "tummy ache"); a message is scored against every phrase, word order ignored, misspellings
 * forgiven, rarer words counting for more than common ones ("chest" says more than "pain").
 * A clear winner is a match; several close ones are a short list for the patient to choose
 * from; nothing good enough is "none", never a guess.
 */

const STOP = new Set([
  'i',
  'me',
  'my',
  'mine',
  'myself',
  'a',
  'an',
  'the',
  'have',
  'has',
  'had',
  'having',
  'got',
  'get',
  'getting',
  'been',
  'be',
  'is',
  'am',
  'are',
  'was',
  'were',
  'it',
  'its',
  'and',
  'or',
  'of',
  'in',
  'on',
  'at',
  'to',
  'with',
  'for',
  'from',
  'very',
  'really',
  'so',
  'bit',
  'some',
  'since',
  'this',
  'that',
  'he',
  'she',
  'they',
  'his',
  'her',
  'their',
  'our',
  'we',
  'you',
  'your',
  'do',
  'does',
  'did',
  'just',
  'today',
  'think',
  'also',
  'lot',
  'quite',
  'bad',
  'badly',
  'feel',
  'feels',
  'feeling',
  'keep',
  'keeps',
  'all',
  'day',
  'days',
  'week',
  'now',
  'since',
  'can',
  'could',
  'would',
  'please',
  'help',
  'hi',
  'hello',
  'about',
  'there',
  'what',
  'like',
  'im',
  'son',
  'daughter',
  'baby',
  'child',
  'kid',
  'husband',
  'wife',
  'partner',
  'mum',
  'dad',
  'terrible',
  'awful',
  'little',
  'bit',
  'worried',
  'started',
  'again',
  'still',
  'last',
  'night',
]);

function contentWords(text: string): string[] {
  return words(text).filter((w) => !STOP.has(w) && !/^\d+$/.test(w));
}

export interface ComplaintCandidate {
  pathway: string;
  title: string;
  score: number;
}

export type ComplaintMatch =
  | { kind: 'match'; pathway: string; title: string; score: number }
  | { kind: 'ambiguous'; candidates: ComplaintCandidate[] }
  | { kind: 'none' };

export interface PatientFacts {
  age?: number | undefined;
  sex?: 'female' | 'male' | undefined;
}

interface IndexedPathway {
  id: string;
  title: string;
  applies: Pathway['applies'];
  phrases: string[][];
}

const MATCH_AT = 0.5;
const CLEAR_LEAD = 0.25;
const SHORT_LIST = 4;

export function applies(applicability: Pathway['applies'], facts: PatientFacts): boolean {
  const { age, sex } = applicability;
  if (facts.age !== undefined && age) {
    if (age.from !== undefined && facts.age < age.from) {
      return false;
    }
    if (age.below !== undefined && facts.age >= age.below) {
      return false;
    }
  }
  return !(facts.sex !== undefined && sex !== undefined && facts.sex !== sex);
}

export class ComplaintIndex {
  readonly #pathways: IndexedPathway[];
  readonly #weight = new Map<string, number>();

  constructor(pathways: readonly Pick<Pathway, 'id' | 'title' | 'complaint' | 'applies'>[]) {
    this.#pathways = pathways.map((p) => ({
      id: p.id,
      title: p.title,
      applies: p.applies,
      phrases: [p.title, ...p.complaint].map(contentWords).filter((ws) => ws.length > 0),
    }));
    // Inverse document frequency by stem: a word used by every pathway tells us little.
    const df = new Map<string, number>();
    for (const p of this.#pathways) {
      for (const s of new Set(p.phrases.flat().map(stem))) {
        df.set(s, (df.get(s) ?? 0) + 1);
      }
    }
    const n = this.#pathways.length;
    for (const [s, count] of df) {
      this.#weight.set(s, Math.log(1 + n / count));
    }
  }

  #weightOf(word: string): number {
    return this.#weight.get(stem(word)) ?? 1;
  }

  #phraseScore(phrase: readonly string[], text: readonly string[]): number {
    let total = 0;
    let matched = 0;
    for (const w of phrase) {
      const weight = this.#weightOf(w);
      total += weight;
      if (text.some((t) => sameWord(t, w))) {
        matched += weight;
      }
    }
    return total === 0 ? 0 : matched / total;
  }

  /** Every pathway scored against the text, best first (ties by id, for stable lists). */
  rank(text: string, facts: PatientFacts = {}): ComplaintCandidate[] {
    const tokens = contentWords(text);
    if (tokens.length === 0) {
      return [];
    }
    return this.#pathways
      .filter((p) => applies(p.applies, facts))
      .map((p) => {
        const scores = p.phrases.map((ph) => this.#phraseScore(ph, tokens)).sort((a, b) => b - a);
        const best = scores[0] ?? 0;
        const fullMatches = scores.filter((s) => s >= 0.999).length;
        const bonus = Math.min(0.15, Math.max(0, fullMatches - 1) * 0.05);
        return { pathway: p.id, title: p.title, score: Math.round((best + bonus) * 1000) / 1000 };
      })
      .filter((c) => c.score > 0)
      .sort((a, b) => b.score - a.score || a.pathway.localeCompare(b.pathway));
  }

  match(text: string, facts: PatientFacts = {}): ComplaintMatch {
    const ranked = this.rank(text, facts).filter((c) => c.score >= MATCH_AT);
    const [top, second] = ranked;
    if (!top) {
      return { kind: 'none' };
    }
    if (!second || top.score - second.score >= CLEAR_LEAD) {
      return { kind: 'match', pathway: top.pathway, title: top.title, score: top.score };
    }
    return {
      kind: 'ambiguous',
      candidates: ranked.filter((c) => top.score - c.score < CLEAR_LEAD).slice(0, SHORT_LIST),
    };
  }
}
