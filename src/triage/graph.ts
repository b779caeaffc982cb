import type { DispositionScale } from './disposition.js';
import type { NumberRange, Pathway, PathwayNode, Route } from './pathway.schema.js';

/**
 * A pathway seen as a graph: questions and outcomes are vertices, answers are edges. Outcome
 * shortcuts (`dx.CODE`) are vertices too. The checks, the compiler, the path counts and the
 * diagram all read the pathway through these functions, so they agree on what an answer is.
 */

export const DX_PREFIX = 'dx.';

/** One answer of one question and where it goes. */
export interface Edge {
  from: string;
  /** `yes`, `no`, `unsure`, an option id, or a range key such as `38..39`. */
  answer: string;
  /** The answer as a patient reads it: "Yes", "Upper tummy", "38 to 39 °C". */
  label: string;
  target: string;
  because?: string | undefined;
  /** Where the route is written in the file, for error lines. */
  path: (string | number)[];
}

export function isDxTarget(target: string): boolean {
  return target.startsWith(DX_PREFIX);
}

export function dxCode(target: string): string {
  return target.slice(DX_PREFIX.length);
}

function routeTarget(route: Route): {
  target: string;
  because?: string | undefined;
  nested: boolean;
} {
  return typeof route === 'string'
    ? { target: route, nested: false }
    : { target: route.next, because: route.because, nested: true };
}

const UNIT_SYMBOL: Record<string, string> = {
  celsius: '°C',
  years: 'years',
  months: 'months',
  weeks: 'weeks',
  days: 'days',
  hours: 'hours',
  minutes: 'minutes',
  count: '',
};

export function unitSymbol(unit: string): string {
  return UNIT_SYMBOL[unit] ?? unit;
}

export function rangeKey(range: NumberRange): string {
  return `${range.from ?? ''}..${range.below ?? ''}`;
}

export function rangeLabel(range: NumberRange, unit: string): string {
  const u = unitSymbol(unit);
  const suffix = u ? ` ${u}` : '';
  if (range.from === undefined && range.below === undefined) {
    return 'Any value';
  }
  if (range.from === undefined) {
    return `Below ${range.below}${suffix}`;
  }
  if (range.below === undefined) {
    return `${range.from}${suffix} or more`;
  }
  return `${range.from} to under ${range.below}${suffix}`;
}

/** The explicit answer routes of a node, in the order they are written. Outcomes have none. */
export function edgesOf(id: string, node: PathwayNode): Edge[] {
  const base = ['nodes', id];
  const edge = (answer: string, label: string, route: Route, path: (string | number)[]): Edge => {
    const { target, because, nested } = routeTarget(route);
    return { from: id, answer, label, target, because, path: nested ? [...path, 'next'] : path };
  };
  const edges: Edge[] = [];
  switch (node.type) {
    case 'outcome':
      return [];
    case 'yes-no':
      edges.push(edge('yes', 'Yes', node.yes, [...base, 'yes']));
      edges.push(edge('no', 'No', node.no, [...base, 'no']));
      break;
    case 'choice':
      node.options.forEach((o, i) => {
        edges.push({
          from: id,
          answer: o.id,
          label: o.label,
          target: o.next,
          because: o.because,
          path: [...base, 'options', i, 'next'],
        });
      });
      break;
    case 'number':
      node.ranges.forEach((r, i) => {
        edges.push({
          from: id,
          answer: rangeKey(r),
          label: rangeLabel(r, node.unit),
          target: r.next,
          because: r.because,
          path: [...base, 'ranges', i, 'next'],
        });
      });
      break;
  }
  if (node.unsure !== undefined) {
    edges.push(edge('unsure', "Don't know", node.unsure, [...base, 'unsure']));
  }
  return edges;
}

export function allEdges(pathway: Pathway): Edge[] {
  return Object.entries(pathway.nodes).flatMap(([id, node]) => edgesOf(id, node));
}

/** Vertices reachable from the start, following every written route. */
export function reachableFrom(pathway: Pathway, start: string, avoid?: string): Set<string> {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === undefined || seen.has(v) || v === avoid) {
      continue;
    }
    seen.add(v);
    const node = pathway.nodes[v];
    if (node) {
      for (const e of edgesOf(v, node)) {
        stack.push(e.target);
      }
    }
  }
  return seen;
}

/** One shortest route from start to goal that avoids a vertex, as the answers given. */
export function routeAvoiding(
  pathway: Pathway,
  start: string,
  goal: string,
  avoid: string,
): Edge[] | undefined {
  if (start === avoid) {
    return undefined; // every route begins with the avoided question
  }
  const parent = new Map<string, Edge | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift();
    if (v === undefined) {
      break;
    }
    if (v === goal) {
      const route: Edge[] = [];
      for (let e = parent.get(v); e; e = parent.get(e.from)) {
        route.unshift(e);
      }
      return route;
    }
    const node = pathway.nodes[v];
    if (!node) {
      continue;
    }
    for (const e of edgesOf(v, node)) {
      if (e.target !== avoid && !parent.has(e.target)) {
        parent.set(e.target, e);
        queue.push(e.target);
      }
    }
  }
  return undefined;
}

/** The first cycle found, as the vertices around it, or undefined for an acyclic pathway. */
export function findCycle(pathway: Pathway): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (v: string): string[] | undefined => {
    const node = pathway.nodes[v];
    if (!node || state.get(v) === 'done') {
      return undefined;
    }
    if (state.get(v) === 'open') {
      return [...trail.slice(trail.indexOf(v)), v];
    }
    state.set(v, 'open');
    trail.push(v);
    for (const e of edgesOf(v, node)) {
      const cycle = visit(e.target);
      if (cycle) {
        return cycle;
      }
    }
    trail.pop();
    state.set(v, 'done');
    return undefined;
  };
  for (const id of Object.keys(pathway.nodes)) {
    const cycle = visit(id);
    if (cycle) {
      return cycle;
    }
  }
  return undefined;
}

/** The disposition code a terminal vertex stands for. */
export function outcomeCode(pathway: Pathway, vertex: string): string | undefined {
  if (isDxTarget(vertex)) {
    return dxCode(vertex);
  }
  const node = pathway.nodes[vertex];
  return node?.type === 'outcome' ? node.disposition : undefined;
}

export interface UrgencyBounds {
  /** The most urgent disposition reachable from here. */
  most: string;
  /** The least urgent disposition reachable from here. */
  least: string;
}

/**
 * For every vertex, the most and least urgent dispositions reachable from it. Needs an acyclic
 * pathway whose targets all resolve (the checks establish both first).
 */
export function urgencyBounds(
  pathway: Pathway,
  scale: DispositionScale,
): Map<string, UrgencyBounds> {
  const memo = new Map<string, UrgencyBounds>();
  const visit = (v: string): UrgencyBounds => {
    const known = memo.get(v);
    if (known) {
      return known;
    }
    const code = outcomeCode(pathway, v);
    let bounds: UrgencyBounds;
    if (code !== undefined) {
      bounds = { most: code, least: code };
    } else {
      const node = pathway.nodes[v];
      const children = node ? edgesOf(v, node).map((e) => visit(e.target)) : [];
      const first = children[0];
      if (!first) {
        throw new Error(`Vertex ${v} has no routes; run the checks before urgencyBounds`);
      }
      bounds = children.reduce(
        (acc, b) => ({
          most: scale.isMoreUrgent(b.most, acc.most) ? b.most : acc.most,
          least: scale.isMoreUrgent(acc.least, b.least) ? b.least : acc.least,
        }),
        first,
      );
    }
    memo.set(v, bounds);
    return bounds;
  };
  for (const id of Object.keys(pathway.nodes)) {
    visit(id);
  }
  return memo;
}

/**
 * Where "I don't know" goes: the written `unsure` route, or else the answer that can reach the
 * most urgent outcome (the first such answer on a tie). Uncertainty is never read as "no".
 */
export function unsureEdge(
  id: string,
  node: Exclude<PathwayNode, { type: 'outcome' }>,
  bounds: Map<string, UrgencyBounds>,
  scale: DispositionScale,
): Edge {
  const edges = edgesOf(id, node);
  const written = edges.find((e) => e.answer === 'unsure');
  if (written) {
    return written;
  }
  let best: Edge | undefined;
  for (const e of edges) {
    const b = bounds.get(e.target);
    const bestBounds = best ? bounds.get(best.target) : undefined;
    if (b && (!bestBounds || scale.isMoreUrgent(b.most, bestBounds.most))) {
      best = e;
    }
  }
  if (!best) {
    throw new Error(`Node ${id} has no routes`);
  }
  return { ...best, answer: 'unsure', label: "Don't know", because: undefined };
}
