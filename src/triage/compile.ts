import { assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';
import type { DispositionScale } from './disposition.js';
import type { PathwayEvent } from './events.js';
import {
  dxCode,
  edgesOf,
  isDxTarget,
  unitSymbol,
  unsureEdge,
  urgencyBounds,
  type Edge,
} from './graph.js';
import type { Pathway, QuestionNode } from './pathway.schema.js';

/**
 * A checked pathway compiled to an XState v5 machine: one state per question, guarded
 * transitions per answer, final states that output the disposition and the reasons. The machine
 * has no delays, invocations or side effects, so a turn is a pure `transition()` and the graph
 * tools (`xstate/graph`) can walk every path.
 */

export interface RecordedAnswer {
  node: string;
  question: string;
  answer: string;
  because?: string | undefined;
  unsure?: boolean | undefined;
  /** The question screens for danger (a red-flag question). */
  redFlag?: boolean | undefined;
}

export interface PathwayContext {
  answers: RecordedAnswer[];
}

/** What a finished pathway produces: where to go, and why. */
export interface PathwayOutcome {
  pathway: { id: string; version: number };
  /** The outcome node id, or `dx.CODE` for a disposition reached directly. */
  outcome: string;
  disposition: string;
  advice?: string | undefined;
  safetyNet?: string | undefined;
  /** The answers that led here, in words a patient and a clinician can read. */
  reasons: string[];
  answers: RecordedAnswer[];
}

interface FinalOutput {
  outcome: string;
  disposition: string;
  advice?: string | undefined;
  safetyNet?: string | undefined;
}

interface RecordParams {
  node: string;
  question: string;
  label?: string | undefined;
  unit?: string | undefined;
  because?: string | undefined;
  unsure?: boolean | undefined;
  redFlag?: boolean | undefined;
}

/** The state a target names: a node id, or `dx-CODE` for a disposition shortcut. */
export function stateKey(target: string): string {
  return isDxTarget(target) ? `dx-${dxCode(target)}` : target;
}

/**
 * Reasons shown with the outcome: the written ones and any uncertainty; when there are none,
 * that the warning signs were all ruled out, and the last answer.
 */
export function reasonsFor(answers: readonly RecordedAnswer[]): string[] {
  const reasons = answers.flatMap((a) => {
    if (a.because) {
      return [a.because];
    }
    return a.unsure ? [`You were not sure: ${a.question}`] : [];
  });
  if (reasons.length > 0) {
    return reasons;
  }
  const screened = answers.filter((a) => a.redFlag);
  const last = answers[answers.length - 1];
  return [
    ...(screened.length > 0 && screened.every((a) => a.answer === 'No')
      ? [`You answered no to each of the ${screened.length} questions about warning signs.`]
      : []),
    ...(last ? [`You answered "${last.answer}" to: ${last.question}`] : []),
  ];
}

const pathwaySetup = setup({
  types: {
    context: {} as PathwayContext,
    events: {} as PathwayEvent,
  },
  guards: {
    isOption: ({ event }, params: { option: string }) =>
      event.type === 'answer.option' && event.option === params.option,
    inRange: ({ event }, params: { from?: number | undefined; below?: number | undefined }) =>
      event.type === 'answer.number' &&
      (params.from === undefined || event.value >= params.from) &&
      (params.below === undefined || event.value < params.below),
  },
  actions: {
    recordAnswer: assign({
      answers: ({ context, event }, params: RecordParams) => {
        let answer = params.label ?? '';
        if (event.type === 'answer.number' && params.label === undefined) {
          answer = event.shown ?? `${event.value} ${unitSymbol(params.unit ?? '')}`.trim();
        }
        const recorded: RecordedAnswer = {
          node: params.node,
          question: params.question,
          answer,
          because: params.because,
          unsure: params.unsure,
          ...(params.redFlag ? { redFlag: true } : {}),
        };
        return [...context.answers, recorded];
      },
    }),
  },
});

type MachineConfig = Parameters<typeof pathwaySetup.createMachine>[0];
type StatesConfig = NonNullable<MachineConfig['states']>;
type StateConfig = StatesConfig[string];

function questionState(id: string, node: QuestionNode, unsure: Edge): StateConfig {
  const record = (e: Edge, label?: string) => ({
    type: 'recordAnswer' as const,
    params: {
      node: id,
      question: node.ask,
      label,
      unit: node.type === 'number' ? node.unit : undefined,
      because: e.because,
      unsure: e.answer === 'unsure' ? true : undefined,
      redFlag: node.redFlag,
    },
  });
  const onUnsure = { target: stateKey(unsure.target), actions: record(unsure, "Don't know") };
  const edges = edgesOf(id, node).filter((e) => e.answer !== 'unsure');
  switch (node.type) {
    case 'yes-no': {
      const [yes, no] = edges;
      if (!yes || !no) {
        throw new Error(`yes-no node ${id} lacks a route`);
      }
      return {
        on: {
          'answer.yes': { target: stateKey(yes.target), actions: record(yes, 'Yes') },
          'answer.no': { target: stateKey(no.target), actions: record(no, 'No') },
          'answer.unsure': onUnsure,
        },
      };
    }
    case 'choice':
      return {
        on: {
          'answer.option': edges.map((e) => ({
            guard: { type: 'isOption' as const, params: { option: e.answer } },
            target: stateKey(e.target),
            actions: record(e, e.label),
          })),
          'answer.unsure': onUnsure,
        },
      };
    case 'number':
      return {
        on: {
          'answer.number': node.ranges.map((r, i) => {
            const e = edges[i];
            if (!e) {
              throw new Error(`number node ${id} lacks range ${i}`);
            }
            return {
              guard: { type: 'inRange' as const, params: { from: r.from, below: r.below } },
              target: stateKey(e.target),
              actions: record(e),
            };
          }),
          'answer.unsure': onUnsure,
        },
      };
  }
}

export function machineId(pathway: Pick<Pathway, 'id' | 'version'>): string {
  return `pathway.${pathway.id}@${pathway.version}`;
}

/** Compiles a pathway that has passed `checkPathway`. */
// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the machine type is inferred from setup(); spelling out XState's generics here would only duplicate them
export function compilePathway(pathway: Pathway, scale: DispositionScale) {
  const bounds = urgencyBounds(pathway, scale);
  const states: StatesConfig = {};
  const finalState = (output: FinalOutput): StateConfig => ({ type: 'final', output });

  for (const [id, node] of Object.entries(pathway.nodes)) {
    if (node.type === 'outcome') {
      states[id] = finalState({
        outcome: id,
        disposition: node.disposition,
        advice: node.advice,
        safetyNet: node.safetyNet,
      });
      continue;
    }
    const unsure = unsureEdge(id, node, bounds, scale);
    states[id] = questionState(id, node, unsure);
    for (const e of [...edgesOf(id, node), unsure]) {
      if (isDxTarget(e.target)) {
        states[stateKey(e.target)] = finalState({
          outcome: e.target,
          disposition: dxCode(e.target),
        });
      }
    }
  }

  const ref = { id: pathway.id, version: pathway.version };
  return pathwaySetup.createMachine({
    id: machineId(pathway),
    initial: pathway.start,
    context: { answers: [] },
    states,
    output: ({ context, event }): PathwayOutcome => {
      const final = (event as { output?: FinalOutput }).output;
      return {
        pathway: ref,
        outcome: final?.outcome ?? 'unknown',
        disposition: final?.disposition ?? 'CLINICIAN_NOW',
        advice: final?.advice,
        safetyNet: final?.safetyNet,
        reasons: reasonsFor(context.answers),
        answers: context.answers,
      };
    },
  });
}

export type PathwayMachine = ReturnType<typeof compilePathway>;
export type PathwaySnapshot = SnapshotFrom<PathwayMachine>;

export function startPathway(machine: PathwayMachine): PathwaySnapshot {
  const [snapshot] = initialTransition(machine);
  return snapshot;
}

export function applyAnswer(
  machine: PathwayMachine,
  snapshot: PathwaySnapshot,
  event: PathwayEvent,
): PathwaySnapshot {
  const [next] = transition(machine, snapshot, event);
  return next;
}

/** The question now being asked, or undefined once the pathway has finished. */
export function currentNode(snapshot: PathwaySnapshot): string | undefined {
  // Pathway machines are flat, so the state value is the node id.
  return snapshot.status === 'active' && typeof snapshot.value === 'string'
    ? snapshot.value
    : undefined;
}

export function outcomeOf(snapshot: PathwaySnapshot): PathwayOutcome | undefined {
  return snapshot.status === 'done' ? (snapshot.output as PathwayOutcome) : undefined;
}
