import { getSimplePaths } from 'xstate/graph';
import type { CheckedPathway } from './bundle.js';
import type { PathwayMachine, PathwayOutcome, PathwaySnapshot } from './compile.js';
import type { PathwayEvent } from './events.js';
import { edgesOf } from './graph.js';

/**
 * Every path through a compiled pathway, found by `xstate/graph` from the machine itself (not
 * from the YAML), so the counts prove what the compiled machine really does. Answers that lead
 * to the same next state are walked once: a path is a distinct sequence of questions.
 */

export interface OutcomePaths {
  outcome: string;
  disposition: string;
  paths: number;
  fewestQuestions: number;
  mostQuestions: number;
}

export interface PathSummary {
  pathway: string;
  total: number;
  /** Paths that end somewhere other than an outcome; always 0 for a checked pathway. */
  unfinished: number;
  outcomes: OutcomePaths[];
}

/** One event per distinct next state of the current question. */
export function eventsFor(checked: CheckedPathway, snapshot: PathwaySnapshot): PathwayEvent[] {
  if (snapshot.status !== 'active') {
    return [];
  }
  const id = typeof snapshot.value === 'string' ? snapshot.value : '';
  const node = checked.pathway.nodes[id];
  if (!node || node.type === 'outcome') {
    return [];
  }
  const seen = new Set<string>();
  const events: PathwayEvent[] = [];
  for (const e of edgesOf(id, node)) {
    if (seen.has(e.target)) {
      continue;
    }
    seen.add(e.target);
    if (e.answer === 'unsure') {
      events.push({ type: 'answer.unsure' });
    } else if (node.type === 'yes-no') {
      events.push({ type: e.answer === 'yes' ? 'answer.yes' : 'answer.no' });
    } else if (node.type === 'choice') {
      events.push({ type: 'answer.option', option: e.answer });
    } else {
      const range = node.ranges.find((r) => `${r.from ?? ''}..${r.below ?? ''}` === e.answer);
      const value = range?.from ?? (range?.below !== undefined ? range.below - 0.5 : 0);
      events.push({ type: 'answer.number', value });
    }
  }
  return events;
}

export function walkPaths(
  checked: CheckedPathway,
): ReturnType<typeof getSimplePaths<PathwayMachine>> {
  return getSimplePaths(checked.machine, {
    events: (snapshot) => eventsFor(checked, snapshot),
    // The answers so far are part of the context, so states are told apart by node alone.
    serializeState: (snapshot) =>
      `${JSON.stringify(snapshot.value)}|${snapshot.context.answers.length}`,
  });
}

export function summarisePaths(checked: CheckedPathway): PathSummary {
  const paths = walkPaths(checked);
  const byOutcome = new Map<string, OutcomePaths>();
  let total = 0;
  let unfinished = 0;
  for (const path of paths) {
    const questions = path.steps.filter((s) => s.event.type.startsWith('answer.')).length;
    const { state } = path;
    const isLeaf = eventsFor(checked, state).length === 0;
    if (!isLeaf) {
      continue; // a path to a question; the longer paths through it are counted instead
    }
    total++;
    if (state.status !== 'done') {
      unfinished++;
      continue;
    }
    const out = state.output as PathwayOutcome;
    const known = byOutcome.get(out.outcome);
    if (known) {
      known.paths++;
      known.fewestQuestions = Math.min(known.fewestQuestions, questions);
      known.mostQuestions = Math.max(known.mostQuestions, questions);
    } else {
      byOutcome.set(out.outcome, {
        outcome: out.outcome,
        disposition: out.disposition,
        paths: 1,
        fewestQuestions: questions,
        mostQuestions: questions,
      });
    }
  }
  return {
    pathway: `${checked.pathway.id}@${checked.pathway.version}`,
    total,
    unfinished,
    outcomes: [...byOutcome.values()].sort((a, b) => a.outcome.localeCompare(b.outcome)),
  };
}
