import { describe, expect, test } from 'vitest';
import {
  interpretAnswer,
  parseChoice,
  parseNumber,
  parseYesNo,
  type ChoiceNode,
  type NumberNode,
  type YesNoNode,
} from '../../src/triage/index.js';
import { sameWord } from '../../src/triage/text.js';

describe('parseYesNo', () => {
  test.each([
    ['yes', 'yes'],
    ['Yes.', 'yes'],
    ['YES!', 'yes'],
    ['yeah', 'yes'],
    ['yep', 'yes'],
    ['y', 'yes'],
    ['yup', 'yes'],
    ['aye', 'yes'],
    ['yesss', 'yes'],
    ['1', 'yes'],
    ['yes please', 'yes'],
    ['Yeah I think so', 'yes'],
    ['I do', 'yes'],
    ['she is', 'yes'],
    ['correct', 'yes'],
    ['no', 'no'],
    ['No.', 'no'],
    ['nope', 'no'],
    ['nah', 'no'],
    ['n', 'no'],
    ['2', 'no'],
    ['noo', 'no'],
    ['no thank you', 'no'],
    ["I don't think so", 'no'],
    ['not really', 'no'],
    ["he hasn't", 'no'],
    ['it does not', 'no'],
    ['never', 'no'],
    ["don't know", 'unsure'],
    ['dont know', 'unsure'],
    ['dunno', 'unsure'],
    ['not sure', 'unsure'],
    ['idk', 'unsure'],
    ['no idea', 'unsure'],
    ['maybe', 'unsure'],
    ['possibly', 'unsure'],
    ["I can't tell", 'unsure'],
    ['3', 'unsure'],
    ['?', 'unsure'],
    ['yes and no', 'unsure'],
  ])('when someone answers %j, then it reads as %s', (text, expected) => {
    expect(parseYesNo(text)).toBe(expected);
  });

  test.each([
    [''],
    ['   '],
    ['banana'],
    ['the pain is in my back'],
    ['I have a headache'],
    ['she has a rash on her arm'],
  ])('when the reply %j is not a yes or a no, then it is not guessed', (text) => {
    expect(parseYesNo(text)).toBeUndefined();
  });
});

const where: Pick<ChoiceNode, 'options'> = {
  options: [
    {
      id: 'upper',
      label: 'Upper tummy',
      synonyms: ['top of my stomach', 'under the ribs'],
      next: 'a',
    },
    { id: 'lower-right', label: 'Lower right side', synonyms: ['appendix area'], next: 'b' },
    { id: 'all-over', label: 'All over', synonyms: ['everywhere'], next: 'c' },
  ],
};

describe('sameWord', () => {
  test.each([
    ['diarhea', 'diarrhoea', true],
    ['breathng', 'breathing', true],
    ['vomitting', 'vomiting', true],
    ['stomache', 'stomach', true],
    ['subsided', 'suicidal', false],
    ['medication', 'meningitis', false],
  ])('when %s is compared with %s, then the answer is %s', (written, known, expected) => {
    expect(sameWord(written, known)).toBe(expected);
  });
});

describe('parseChoice', () => {
  test.each([
    ['1', 'upper'],
    ['2', 'lower-right'],
    ['option 3', 'all-over'],
    ['the second one', 'lower-right'],
    ['last', 'all-over'],
    ['Upper tummy', 'upper'],
    ['upper tumy', 'upper'],
    ['lower right', 'lower-right'],
    ['everywhere', 'all-over'],
    ['at the top of my stomach', 'upper'],
    ['its all over', 'all-over'],
    ['4', 'unsure'],
    ["don't know", 'unsure'],
    ['not sure', 'unsure'],
  ])('when someone answers %j, then option %s is chosen', (text, expected) => {
    expect(parseChoice(text, where)).toBe(expected);
  });

  test('when an option label contains an ordinal word, then the label wins over the position', () => {
    const fits: Pick<ChoiceNode, 'options'> = {
      options: [
        { id: 'none', label: 'No fit', synonyms: [], next: 'a' },
        { id: 'first-fit', label: 'A first ever fit', synonyms: ['first fit'], next: 'b' },
        { id: 'last-fit', label: 'A fit like the last one', synonyms: [], next: 'c' },
      ],
    };
    expect(parseChoice('first fit', fits)).toBe('first-fit');
    expect(parseChoice('it was his first ever fit', fits)).toBe('first-fit');
    expect(parseChoice('the first one', fits)).toBe('none');
    expect(parseChoice('last', fits)).toBe('last-fit');
  });

  test.each([['7'], ['purple'], ['']])(
    'when the reply %j matches no option, then nothing is chosen',
    (text) => {
      expect(parseChoice(text, where)).toBeUndefined();
    },
  );
});

const temperature = { unit: 'celsius' as const };
const duration = { unit: 'days' as const };
const age = { unit: 'years' as const };

describe('parseNumber', () => {
  test.each([
    ['38.5', temperature, 38.5],
    ['38.5C', temperature, 38.5],
    ['38,5', temperature, 38.5],
    ['38.5 degrees', temperature, 38.5],
    ['101F', temperature, 38.33],
    ['101 f', temperature, 38.33],
    ['101', temperature, 38.33],
    ['it was 39', temperature, 39],
    ['38*5#', temperature, 38.5],
    ['3 days', duration, 3],
    ['three days', duration, 3],
    ['two weeks', duration, 14],
    ['a week', duration, 7],
    ['36 hours', duration, 1.5],
    ['a fortnight', duration, 14],
    ['1 and a half days', duration, 1.5],
    ['since yesterday', duration, 1],
    ['a couple of days', duration, 2],
    ['5', duration, 5],
    ['twenty one days', duration, 21],
    ['6 months', age, 0.5],
    ['2 years 6 months', age, 2.5],
    ['45', age, 45],
    ['45 years old', age, 45],
  ])('when someone answers %j, then the value is %s', (text, node, expected) => {
    const parsed = parseNumber(text, node);
    expect(parsed).toMatchObject({ ok: true, value: expected });
  });

  test('when a temperature is given in Fahrenheit, then both units are shown', () => {
    expect(parseNumber('101F', temperature)).toMatchObject({
      ok: true,
      shown: '38.33 °C (101 °F)',
    });
  });

  test.each([
    ['60', temperature, 'out-of-range'],
    ['20C', temperature, 'out-of-range'],
    ['200 years', age, 'out-of-range'],
    ['hot', temperature, 'not-understood'],
    ['38 or 39', temperature, 'not-understood'],
    ['3 days', temperature, 'not-understood'],
  ])('when someone answers %j, then it is refused as %s with a hint', (text, node, reason) => {
    const parsed = parseNumber(text, node);
    expect(parsed).toMatchObject({ ok: false, reason });
    expect(parsed.ok ? '' : parsed.hint).toMatch(/^(Please|That)/);
  });
});

const yesNo: YesNoNode = {
  type: 'yes-no',
  ask: 'Is it bad?',
  redFlag: true,
  yes: 'dx.CALL_999',
  no: 'x',
};
const numberNode: NumberNode = {
  type: 'number',
  ask: 'How long?',
  unit: 'days',
  redFlag: false,
  ranges: [{ next: 'x' }],
};

describe('interpretAnswer', () => {
  test('when a yes-or-no question gets "don\'t know", then the event is answer.unsure, never answer.no', () => {
    expect(interpretAnswer(yesNo, "I don't know")).toEqual({
      ok: true,
      event: { type: 'answer.unsure' },
      shown: "Don't know",
    });
  });

  test('when a number question gets "3", then it is the number 3, not "don\'t know"', () => {
    expect(interpretAnswer(numberNode, '3')).toMatchObject({
      ok: true,
      event: { type: 'answer.number', value: 3 },
    });
  });

  test('when a number question gets "not sure", then the event is answer.unsure', () => {
    expect(interpretAnswer(numberNode, 'not sure')).toMatchObject({
      ok: true,
      event: { type: 'answer.unsure' },
    });
  });

  test('when a choice is not understood, then the hint lists the options by number', () => {
    const node: ChoiceNode = { type: 'choice', ask: 'Where?', redFlag: false, ...where };
    expect(interpretAnswer(node, 'purple')).toEqual({
      ok: false,
      reason: 'not-understood',
      hint: 'Please choose one: 1 Upper tummy, 2 Lower right side, 3 All over.',
    });
  });

  test('when a yes-or-no question gets an unrelated reply, then the hint asks for yes or no', () => {
    const result = interpretAnswer(yesNo, 'blue');
    expect(result.ok ? '' : result.hint).toContain('yes or no');
  });
});
