import { validBounds } from './check.js';
import type { PathwayEvent } from './events.js';
import { unitSymbol } from './graph.js';
import type { ChoiceNode, NumberNode, QuestionNode, Unit } from './pathway.schema.js';
import { normalise, numberWord, sameWord, words } from './text.js';

/**
 * Answers as people write and say them: "yeah", "nope", "2", "the second one", "38.5C", "101F",
 * "three days", "dunno". "Don't know" is its own answer and is never read as "no".
 */

export type AnswerResult =
  | { ok: true; event: PathwayEvent; shown: string }
  | { ok: false; reason: 'not-understood' | 'out-of-range'; hint: string };

/** Phrases that mean the patient does not know, whatever else they say. */
const UNSURE =
  /\b(do not know|not sure|unsure|no idea|not certain|uncertain|cannot (tell|say|remember|be sure)|do not remember|not know|hard to say|no clue)\b/;
/** Hedges: "don't know" for a yes-or-no question, but a number after them is still a number. */
const HEDGE = /\b(maybe|perhaps|possibly|might be|may be|could be|i guess)\b/;

const YES_WORDS = new Set([
  'yes',
  'y',
  'yeah',
  'yea',
  'yeh',
  'yep',
  'yup',
  'ya',
  'yah',
  'aye',
  'sure',
  'correct',
  'right',
  'true',
  'definitely',
  'absolutely',
  'affirmative',
  'ok',
  'okay',
  'indeed',
  'certainly',
  '1',
]);
const NO_WORDS = new Set([
  'no',
  'n',
  'nope',
  'nah',
  'na',
  'negative',
  'never',
  'none',
  'not',
  'nothing',
  '2',
]);
const NO_PHRASES =
  /^(i|he|she|it|they|we|you|baby|my \w+)? ?(do|does|did|am|is|are|was|were|have|has|had|can|could|will|would) not\b|\bnot really\b|\bnot at all\b|\bdo not think so\b/;
const YES_PHRASES =
  /^(i|he|she|it|they|we|you|baby|my \w+)? ?(do|does|did|am|is|are|was|were|have|has|had|can|will)\b|\b(think so|believe so|of course|that is right|that is correct|it is)\b/;

export function isUnsure(text: string): boolean {
  const n = normalise(text);
  return UNSURE.test(n) || n === '?' || n === '.';
}

/** yes / no / unsure, or undefined when the text is not an answer to a yes-or-no question. */
export function parseYesNo(text: string): 'yes' | 'no' | 'unsure' | undefined {
  const n = normalise(text);
  if (n === '') {
    return undefined;
  }
  if (isUnsure(text) || HEDGE.test(n) || n === '3') {
    return 'unsure';
  }
  const w = words(text).map((x) => x.replace(/^y+e+s+$/, 'yes').replace(/^n+o+$/, 'no'));
  const first = w[0] ?? '';
  const hasYes = w.some((x) => x === 'yes' || x === 'yeah' || x === 'yep');
  const hasNo = w.some((x) => x === 'no' || x === 'nope' || x === 'nah');
  if (hasYes && hasNo) {
    return 'unsure';
  }
  if (YES_WORDS.has(first) && !(first === 'right' && w.length > 1 && w[1] === 'side')) {
    return 'yes';
  }
  if (NO_WORDS.has(first)) {
    return 'no';
  }
  const joined = w.join(' ');
  if (NO_PHRASES.test(joined)) {
    return 'no';
  }
  // "I do", "she has", "yes I have" are answers; "I have a headache" is a description, not a yes.
  if (YES_PHRASES.test(joined) && w.length <= 3) {
    return 'yes';
  }
  return undefined;
}

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
};

const ORDINAL_FILLER = new Set([
  'the',
  'one',
  'option',
  'answer',
  'please',
  'i',
  'think',
  'its',
  'it',
  'is',
]);

const FILLER = new Set([
  'the',
  'a',
  'an',
  'my',
  'it',
  'is',
  'its',
  'option',
  'number',
  'one',
  'i',
  'think',
  'in',
  'on',
  'of',
  'and',
  'or',
  'to',
]);

/**
 * The id of the option chosen, by number, ordinal, label or synonym; the reserved id 'unsure'
 * for "don't know" (the schema keeps option ids from using it).
 */
export function parseChoice(text: string, node: Pick<ChoiceNode, 'options'>): string | undefined {
  const w = words(text);
  if (w.length === 0) {
    return undefined;
  }
  const { options } = node;
  const n = normalise(text);
  const numbered = /^(?:option |number |no |#)?(\d{1,2})$/.exec(n);
  if (numbered) {
    const index = Number(numbered[1]);
    if (index >= 1 && index <= options.length) {
      return options[index - 1]?.id;
    }
    return index === options.length + 1 ? 'unsure' : undefined;
  }
  // Exact label or synonym first, so "no" is not mistaken for part of another label.
  for (const o of options) {
    for (const phrase of [o.label, o.id.replace(/-/g, ' '), ...o.synonyms]) {
      if (normalise(phrase) === n) {
        return o.id;
      }
    }
  }
  if (isUnsure(text)) {
    return 'unsure';
  }
  const content = w.filter((x) => !FILLER.has(x));
  let best: { id: string; score: number } | undefined;
  let tie = false;
  for (const o of options) {
    for (const phrase of [o.label, o.id.replace(/-/g, ' '), ...o.synonyms]) {
      const pw = words(phrase).filter((x) => !FILLER.has(x));
      if (pw.length === 0) {
        continue;
      }
      const matched = pw.filter((p) => content.some((c) => sameWord(c, p))).length;
      const score = matched / pw.length - (content.length > pw.length * 3 ? 0.2 : 0);
      if (score >= 0.6) {
        if (!best || score > best.score) {
          tie = false;
          best = { id: o.id, score };
        } else if (score === best.score && best.id !== o.id) {
          tie = true;
        }
      }
    }
  }
  if (best && !tie) {
    return best.id;
  }
  // "the second one", "last": only when the reply is nothing but an ordinal, so an option
  // whose own words include "first" or "last" ("first ever fit") is never read as a position.
  const ordinal = w.find((x) => x in ORDINALS || x === 'last');
  if (ordinal && w.every((x) => x === ordinal || ORDINAL_FILLER.has(x))) {
    const index = ordinal === 'last' ? options.length : (ORDINALS[ordinal] ?? 0);
    if (index >= 1 && index <= options.length) {
      return options[index - 1]?.id;
    }
  }
  return undefined;
}

type UnitFamily = 'temperature' | 'time' | 'count';

const UNIT_WORDS: Record<string, { unit: Unit | 'fahrenheit'; family: UnitFamily }> = {};
const addUnit = (names: string[], unit: Unit | 'fahrenheit', family: UnitFamily): void => {
  for (const name of names) {
    UNIT_WORDS[name] = { unit, family };
  }
};
addUnit(
  ['c', '°c', '°', 'celsius', 'centigrade', 'degrees', 'degree', 'deg'],
  'celsius',
  'temperature',
);
addUnit(['f', '°f', 'fahrenheit', 'farenheit', 'fahrenheight'], 'fahrenheit', 'temperature');
addUnit(['minute', 'minutes', 'min', 'mins', 'm'], 'minutes', 'time');
addUnit(['hour', 'hours', 'hr', 'hrs', 'h'], 'hours', 'time');
addUnit(['day', 'days', 'd', 'nights', 'night'], 'days', 'time');
addUnit(['week', 'weeks', 'wk', 'wks', 'w'], 'weeks', 'time');
addUnit(['fortnight', 'fortnights'], 'weeks', 'time');
addUnit(['month', 'months', 'mo', 'mos', 'mth', 'mths', 'mnth', 'mnths'], 'months', 'time');
addUnit(['year', 'years', 'yr', 'yrs', 'y', 'yo'], 'years', 'time');
addUnit(['times', 'time', 'x'], 'count', 'count');

const MINUTES: Record<string, number> = {
  minutes: 1,
  hours: 60,
  days: 1440,
  weeks: 10080,
  months: 43830,
  years: 525960,
};

function familyOf(unit: Unit): UnitFamily {
  if (unit === 'celsius') {
    return 'temperature';
  }
  return unit === 'count' ? 'count' : 'time';
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Converts a value between units of one family. */
function convert(value: number, from: Unit | 'fahrenheit', to: Unit): number {
  if (from === to) {
    return value;
  }
  if (from === 'fahrenheit' && to === 'celsius') {
    return ((value - 32) * 5) / 9;
  }
  const a = MINUTES[from];
  const b = MINUTES[to];
  return a !== undefined && b !== undefined ? (value * a) / b : value;
}

interface Quantity {
  value: number;
  unit?: Unit | 'fahrenheit' | undefined;
}

/** Reads (number, unit) pairs: "38.5", "101f", "two weeks", "1 year 6 months", "half an hour". */
function readQuantities(text: string): Quantity[] | undefined {
  const prepared = text
    .replace(/(\d)\s*\*\s*(\d)/g, '$1.$2') // keypad: 38*5 is 38.5
    .replace(/#\s*$/, '')
    .replace(/(\d)([a-z°]+)\b/gi, '$1 $2')
    .replace(/\byears? old\b/gi, 'years');
  const tokens = normalise(prepared).split(' ');
  const out: Quantity[] = [];
  let pending: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t === 'fortnight' || t === 'fortnights') {
      out.push({ value: (pending ?? 1) * 2, unit: 'weeks' });
      pending = undefined;
      continue;
    }
    if (t === 'yesterday') {
      out.push({ value: 1, unit: 'days' });
      continue;
    }
    const numeric = /^\d+(\.\d+)?$/.test(t) ? Number(t) : numberWord(t);
    if (numeric !== undefined && !(t === 'a' || t === 'an')) {
      if (t === 'half' && pending !== undefined) {
        pending += 0.5; // "one and a half"
      } else if (pending !== undefined && numeric < 10 && pending >= 20 && pending % 10 === 0) {
        pending += numeric; // "twenty one"
      } else if (pending !== undefined && t === 'hundred') {
        pending *= 100;
      } else if (pending !== undefined) {
        out.push({ value: pending });
        pending = numeric;
      } else {
        pending = numeric;
      }
      continue;
    }
    if (t === 'a' || t === 'an') {
      const next = tokens[i + 1] ?? '';
      if (next === 'half' && pending !== undefined) {
        continue; // "one and a half"
      }
      if (pending === undefined && next in UNIT_WORDS) {
        pending = 1; // "a week"
      }
      continue;
    }
    const unit = UNIT_WORDS[t];
    if (unit && pending !== undefined) {
      out.push({ value: pending, unit: unit.unit });
      pending = undefined;
    }
  }
  if (pending !== undefined) {
    out.push({ value: pending });
  }
  return out.length > 0 ? out : undefined;
}

/** A number answer in the node's unit, or why it could not be read. */
export function parseNumber(
  text: string,
  node: Pick<NumberNode, 'unit' | 'valid'>,
):
  | { ok: true; value: number; shown: string }
  | { ok: false; reason: 'not-understood' | 'out-of-range'; hint: string } {
  const { min, max } = validBounds({
    ...node,
    type: 'number',
    ask: '',
    redFlag: false,
    ranges: [],
  });
  const symbol = unitSymbol(node.unit);
  const wanted =
    node.unit === 'celsius'
      ? 'a temperature, for example 38.5'
      : `a number${symbol ? ` of ${symbol}` : ''}`;
  const quantities = readQuantities(text);
  if (!quantities) {
    return { ok: false, reason: 'not-understood', hint: `Please give ${wanted}.` };
  }
  const family = familyOf(node.unit);
  const withUnits = quantities.filter((q) => q.unit !== undefined);
  let value: number;
  let givenUnit: Unit | 'fahrenheit';
  if (quantities.length > 1 && withUnits.length === quantities.length && family === 'time') {
    // "1 year 6 months": a sum of parts, all of time.
    value = quantities.reduce(
      (sum, q) => sum + convert(q.value, q.unit ?? node.unit, node.unit),
      0,
    );
    givenUnit = node.unit;
  } else if (quantities.length === 1 && quantities[0]) {
    const q = quantities[0];
    givenUnit = q.unit ?? node.unit;
    if (q.unit === undefined && node.unit === 'celsius' && q.value > 50 && q.value <= 113) {
      givenUnit = 'fahrenheit'; // "101" is a Fahrenheit fever, not 101 °C
    }
    value = q.value;
  } else {
    return { ok: false, reason: 'not-understood', hint: `Please give one number: ${wanted}.` };
  }
  const givenFamily = UNIT_WORDS[givenUnit]?.family ?? familyOf(givenUnit as Unit);
  if (givenFamily !== family) {
    return { ok: false, reason: 'not-understood', hint: `Please give ${wanted}.` };
  }
  const converted = round(convert(value, givenUnit, node.unit));
  if (converted < min || converted > max) {
    return {
      ok: false,
      reason: 'out-of-range',
      hint: `That doesn't look right. Please give ${wanted} between ${min} and ${max}${symbol ? ` ${symbol}` : ''}.`,
    };
  }
  const shownValue = `${converted}${symbol ? ` ${symbol}` : ''}`;
  const original =
    givenUnit === node.unit
      ? ''
      : ` (${round(value)} ${givenUnit === 'fahrenheit' ? '°F' : unitSymbol(givenUnit)})`;
  return { ok: true, value: converted, shown: `${shownValue}${original}` };
}

/** Turns a patient's reply to a question into the event the pathway machine takes. */
export function interpretAnswer(node: QuestionNode, text: string): AnswerResult {
  const trimmed = text.trim();
  switch (node.type) {
    case 'yes-no': {
      const answer = parseYesNo(trimmed);
      if (answer === undefined) {
        return {
          ok: false,
          reason: 'not-understood',
          hint: "Please answer yes or no, or say you don't know.",
        };
      }
      const shown = answer === 'yes' ? 'Yes' : answer === 'no' ? 'No' : "Don't know";
      return { ok: true, event: { type: `answer.${answer}` }, shown };
    }
    case 'choice': {
      const option = parseChoice(trimmed, node);
      if (option === undefined) {
        const list = node.options.map((o, i) => `${i + 1} ${o.label}`).join(', ');
        return { ok: false, reason: 'not-understood', hint: `Please choose one: ${list}.` };
      }
      if (option === 'unsure') {
        return { ok: true, event: { type: 'answer.unsure' }, shown: "Don't know" };
      }
      const label = node.options.find((o) => o.id === option)?.label ?? option;
      return { ok: true, event: { type: 'answer.option', option }, shown: label };
    }
    case 'number': {
      if (isUnsure(trimmed)) {
        return { ok: true, event: { type: 'answer.unsure' }, shown: "Don't know" };
      }
      const parsed = parseNumber(trimmed, node);
      if (!parsed.ok) {
        return parsed;
      }
      return {
        ok: true,
        event: { type: 'answer.number', value: parsed.value, shown: parsed.shown },
        shown: parsed.shown,
      };
    }
  }
}
