import { createActor } from 'xstate';
import { describe, expect, test } from 'vitest';
import {
  applyAnswer,
  currentNode,
  outcomeOf,
  reasonsFor,
  startPathway,
  type PathwayEvent,
} from '../../src/triage/index.js';
import { checkedFixture } from '../helpers/triage.js';

const fixture = checkedFixture('valid');

function run(...events: PathwayEvent[]) {
  return events.reduce((s, e) => applyAnswer(fixture.machine, s, e), startPathway(fixture.machine));
}

describe('compilePathway', () => {
  test('when compiled, then the machine is named after the pathway and its version', () => {
    expect(fixture.machine.id).toBe('pathway.valid@1');
  });

  test('when started, then the first question is the start node', () => {
    expect(currentNode(startPathway(fixture.machine))).toBe('danger');
  });

  test('when a red flag is answered yes, then the pathway ends at its disposition with the reason', () => {
    const outcome = outcomeOf(run({ type: 'answer.yes' }));
    expect(outcome).toEqual({
      pathway: { id: 'valid', version: 1 },
      outcome: 'dx.CALL_999',
      disposition: 'CALL_999',
      advice: undefined,
      safetyNet: undefined,
      reasons: ['There is danger.'],
      answers: [
        {
          node: 'danger',
          question: 'Is there danger?',
          answer: 'Yes',
          because: 'There is danger.',
          unsure: undefined,
          redFlag: true,
        },
      ],
    });
  });

  test('when a choice is made, then the option routes and its label is recorded', () => {
    const s = run({ type: 'answer.no' }, { type: 'answer.option', option: 'leg' });
    expect(outcomeOf(s)).toMatchObject({ disposition: 'GP_24H', reasons: ['It is in the leg.'] });
    expect(outcomeOf(s)?.answers.map((a) => a.answer)).toEqual(['No', 'Leg']);
  });

  test.each([
    [37.9, 'SELF_CARE', 'home'],
    [38, 'GP_24H', 'dx.GP_24H'],
    [40.2, 'GP_24H', 'dx.GP_24H'],
  ])('when the temperature is %s, then the outcome is %s', (value, disposition, outcome) => {
    const s = run(
      { type: 'answer.no' },
      { type: 'answer.option', option: 'arm' },
      { type: 'answer.number', value },
    );
    expect(outcomeOf(s)).toMatchObject({ disposition, outcome });
  });

  test('when an outcome node is reached, then its pathway advice comes with it', () => {
    const s = run(
      { type: 'answer.no' },
      { type: 'answer.option', option: 'arm' },
      { type: 'answer.number', value: 37 },
    );
    expect(outcomeOf(s)?.advice).toBe('Rest.');
  });

  test('when "don\'t know" is the answer to a red flag, then it goes the urgent way and says why', () => {
    const outcome = outcomeOf(run({ type: 'answer.unsure' }));
    expect(outcome).toMatchObject({
      disposition: 'CALL_999',
      reasons: ['You were not sure: Is there danger?'],
    });
  });

  test('when "don\'t know" is the answer to a choice, then it follows the answer that can reach the most urgent outcome', () => {
    // arm -> temperature (can reach GP_24H) ties with leg -> GP_24H; the first written wins.
    expect(currentNode(run({ type: 'answer.no' }, { type: 'answer.unsure' }))).toBe('temperature');
  });

  test('when "don\'t know" is the temperature, then it follows the highest-risk range', () => {
    const s = run(
      { type: 'answer.no' },
      { type: 'answer.option', option: 'arm' },
      { type: 'answer.unsure' },
    );
    expect(outcomeOf(s)?.disposition).toBe('GP_24H');
  });

  test('when an event does not fit the question, then nothing changes', () => {
    const s = run({ type: 'answer.option', option: 'leg' });
    expect(currentNode(s)).toBe('danger');
    expect(s.context.answers).toEqual([]);
  });

  test('when a snapshot is persisted mid-pathway and restored, then the pathway carries on from there', () => {
    const first = createActor(fixture.machine);
    first.start();
    first.send({ type: 'answer.no' });
    const persisted = JSON.parse(JSON.stringify(first.getPersistedSnapshot())) as ReturnType<
      typeof first.getPersistedSnapshot
    >;
    first.stop();

    const second = createActor(fixture.machine, { snapshot: persisted });
    second.start();
    second.send({ type: 'answer.option', option: 'leg' });
    expect(second.getSnapshot().status).toBe('done');
    expect(second.getSnapshot().output).toMatchObject({ disposition: 'GP_24H' });
    second.stop();
  });
});

describe('reasonsFor', () => {
  test('when no answer carries a reason, then the last answer is quoted', () => {
    expect(reasonsFor([{ node: 'q', question: 'Is it sore?', answer: 'No' }])).toEqual([
      'You answered "No" to: Is it sore?',
    ]);
  });

  test('when every warning-sign question was answered no, then the reasons say so', () => {
    expect(
      reasonsFor([
        { node: 'a', question: 'Is it crushing?', answer: 'No', redFlag: true },
        { node: 'b', question: 'Is it spreading?', answer: 'No', redFlag: true },
        { node: 'c', question: 'How long?', answer: '2 days' },
      ]),
    ).toEqual([
      'You answered no to each of the 2 questions about warning signs.',
      'You answered "2 days" to: How long?',
    ]);
  });

  test('when there are no answers, then there are no reasons', () => {
    expect(reasonsFor([])).toEqual([]);
  });
});
