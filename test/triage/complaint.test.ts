import { describe, expect, test } from 'vitest';
import { ComplaintIndex, dataPaths, loadBundle } from '../../src/triage/index.js';

const { bundle } = loadBundle(dataPaths());
const index = bundle?.complaints ?? new ComplaintIndex([]);

describe('complaint matching on the bundled pathways', () => {
  test.each([
    ['I have a headache', 'headache'],
    ['my head really hurts', 'headache'],
    ['terrible hedache since this morning', 'headache'],
    ['migraine again', 'headache'],
    ['chest pain', 'chest-pain'],
    ['pain in my chest', 'chest-pain'],
    ['my dad has chest pains', 'chest-pain'],
    ['tight chest', 'chest-pain'],
    ["I'm short of breath", 'breathing-difficulty'],
    ['struggling to breathe', 'breathing-difficulty'],
    ['breathless when walking', 'breathing-difficulty'],
    ['tummy ache', 'abdominal-pain'],
    ['my stomach hurts', 'abdominal-pain'],
    ['bad stomache pain', 'abdominal-pain'],
    ['my baby has a temperature', 'fever-under-5'],
    ['toddler with a high fever', 'fever-under-5'],
    ['sore throat', 'sore-throat'],
    ['it hurts to swallow', 'sore-throat'],
    ['burning when I pee', 'urinary-symptoms'],
    ['I think I have a UTI', 'urinary-symptoms'],
    ['cystitis', 'urinary-symptoms'],
    ['a rash on my arm', 'rash'],
    ['spots all over his body', 'rash'],
    ['diarrhoea', 'diarrhoea-vomiting'],
    ['diarhea and being sick', 'diarrhoea-vomiting'],
    ['been vomiting all night', 'diarrhoea-vomiting'],
    ['lower back pain', 'back-pain'],
    ['my back is killing me', 'back-pain'],
    ['I want to kill myself', 'mental-health-crisis'],
    ['feeling suicidal', 'mental-health-crisis'],
    ['I keep self harming', 'mental-health-crisis'],
    ['a cough that will not go away', 'cough'],
    ['chesty cough', 'cough'],
    ['coughing for 3 weeks', 'cough'],
  ])('when a patient writes %j, then the first candidate is %s', (text, pathway) => {
    const [first] = index.rank(text);
    expect(first?.pathway, JSON.stringify(index.rank(text).slice(0, 3))).toBe(pathway);
  });

  test('when the text clearly names one problem, then it is a match, not a list', () => {
    expect(index.match('I have a sore throat')).toMatchObject({
      kind: 'match',
      pathway: 'sore-throat',
    });
  });

  test('when the text names two problems, then the patient gets a short list to choose from', () => {
    const result = index.match('I have a headache and back pain');
    expect(result.kind).toBe('ambiguous');
    const ids = result.kind === 'ambiguous' ? result.candidates.map((c) => c.pathway) : [];
    expect(ids).toEqual(expect.arrayContaining(['headache', 'back-pain']));
    expect(ids.length).toBeLessThanOrEqual(4);
  });

  test.each([['hello'], ['I need a sick note'], ['my car broke down'], [''], ['???']])(
    'when nothing matches %j, then the answer is none, never a guess',
    (text) => {
      expect(index.match(text)).toEqual({ kind: 'none' });
    },
  );

  test('when the patient is known to be 30, then the under-5 fever pathway is not offered', () => {
    const result = index.match('high temperature', { age: 30 });
    const offered =
      result.kind === 'match'
        ? [result.pathway]
        : result.kind === 'ambiguous'
          ? result.candidates.map((c) => c.pathway)
          : [];
    expect(offered).not.toContain('fever-under-5');
  });
});

describe('ComplaintIndex', () => {
  const small = new ComplaintIndex([
    { id: 'ear', title: 'Earache', complaint: ['ear pain', 'sore ear'], applies: {} },
    {
      id: 'throat',
      title: 'Sore throat',
      complaint: ['sore throat', 'painful swallowing'],
      applies: {},
    },
    { id: 'eye', title: 'Eye problems', complaint: ['red eye', 'sore eye'], applies: {} },
    { id: 'adult-only', title: 'Gout', complaint: ['gout'], applies: { age: { from: 18 } } },
  ]);

  test('when words come in another order, then they still match', () => {
    expect(small.match('pain in the ear')).toMatchObject({ kind: 'match', pathway: 'ear' });
  });

  test('when a word is misspelt, then it still matches', () => {
    expect(small.match('my throut is sore')).toMatchObject({ kind: 'match', pathway: 'throat' });
  });

  test('when two problems are named, then both are offered', () => {
    const result = small.match('a sore ear and a red eye');
    expect(
      result.kind === 'ambiguous' ? result.candidates.map((c) => c.pathway).sort() : result,
    ).toEqual(['ear', 'eye']);
  });

  test('when only a word shared by several pathways is given, then it is none rather than a guess', () => {
    expect(small.match('sore')).toEqual({ kind: 'none' });
  });

  test('when the patient is outside the age range, then that pathway is not offered', () => {
    expect(small.match('gout', { age: 10 })).toEqual({ kind: 'none' });
    expect(small.match('gout', { age: 40 })).toMatchObject({
      kind: 'match',
      pathway: 'adult-only',
    });
  });
});
