import { basename } from 'node:path';
import type { DispositionScale } from './disposition.js';
import { pathwayError, type PathwayError } from './errors.js';
import {
  dxCode,
  edgesOf,
  findCycle,
  isDxTarget,
  outcomeCode,
  reachableFrom,
  routeAvoiding,
  urgencyBounds,
  type Edge,
} from './graph.js';
import type { SourceMap } from './load.js';
import type { NumberNode, Pathway, Unit } from './pathway.schema.js';

/**
 * Static checks of one parsed pathway. Each rule is a small function; they run in an order that
 * lets the later ones trust the earlier (graph rules need every reference resolved and no
 * cycle). Rule names are stable: the authoring guide lists each with its fix.
 */

/** Plausible answers per unit when a number question gives no `valid` bounds. */
export const DEFAULT_VALID: Record<Unit, { min: number; max: number }> = {
  celsius: { min: 30, max: 45 },
  years: { min: 0, max: 120 },
  months: { min: 0, max: 1440 },
  weeks: { min: 0, max: 6000 },
  days: { min: 0, max: 36500 },
  hours: { min: 0, max: 100000 },
  minutes: { min: 0, max: 1000000 },
  count: { min: 0, max: 1000000 },
};

export function validBounds(node: NumberNode): { min: number; max: number } {
  return node.valid ?? DEFAULT_VALID[node.unit];
}

interface Ctx {
  pathway: Pathway;
  source: SourceMap;
  scale: DispositionScale;
  errors: PathwayError[];
}

function report(
  ctx: Ctx,
  path: (string | number)[],
  rule: string,
  message: string,
  fix: string,
  severity: PathwayError['severity'] = 'error',
): void {
  ctx.errors.push(
    pathwayError(ctx.source.file, ctx.source.lineAt(path), rule, message, fix, severity),
  );
}

function describeRoute(route: readonly Edge[]): string {
  return route.length === 0 ? '(the start)' : route.map((e) => `${e.from}=${e.answer}`).join(', ');
}

function checkHeader(ctx: Ctx): void {
  const { pathway } = ctx;
  const fileName = basename(ctx.source.file).replace(/\.yaml$/, '');
  if (pathway.id !== fileName) {
    report(
      ctx,
      ['id'],
      'id-mismatch',
      `the id '${pathway.id}' differs from the file name '${fileName}'`,
      `rename the file to ${pathway.id}.yaml or set id: ${fileName}`,
    );
  }
  const latest = Math.max(...pathway.changelog.map((c) => c.version));
  if (latest !== pathway.version) {
    report(
      ctx,
      ['changelog'],
      'changelog-stale',
      `the newest changelog entry is for version ${latest} but the pathway is version ${pathway.version}`,
      `add a changelog entry for version ${pathway.version} saying what changed`,
    );
  }
  const { age } = pathway.applies;
  if (age?.from !== undefined && age.below !== undefined && age.from >= age.below) {
    report(
      ctx,
      ['applies', 'age'],
      'age-range-empty',
      'no age is both at least from and below below',
      'make from smaller than below',
    );
  }
  if (!(pathway.start in pathway.nodes)) {
    report(
      ctx,
      ['start'],
      'unknown-target',
      `start '${pathway.start}' is not a node of this pathway`,
      `set start to one of: ${Object.keys(pathway.nodes).slice(0, 8).join(', ')}`,
    );
  }
}

function checkReferences(ctx: Ctx): void {
  const { pathway, scale } = ctx;
  const nodeIds = Object.keys(pathway.nodes);
  for (const [id, node] of Object.entries(pathway.nodes)) {
    if (node.type === 'outcome') {
      if (!scale.has(node.disposition)) {
        report(
          ctx,
          ['nodes', id, 'disposition'],
          'unknown-disposition',
          `'${node.disposition}' is not a disposition code`,
          `use one of the codes in data/dispositions.yaml: ${scale.codes.join(', ')}`,
        );
      }
      continue;
    }
    for (const e of edgesOf(id, node)) {
      if (isDxTarget(e.target)) {
        if (!scale.has(dxCode(e.target))) {
          report(
            ctx,
            e.path,
            'unknown-disposition',
            `'${e.target}' (answer ${e.answer} of ${id}) is not a disposition`,
            `use dx. followed by a code in data/dispositions.yaml: ${scale.codes.join(', ')}`,
          );
        }
      } else if (!(e.target in pathway.nodes)) {
        report(
          ctx,
          e.path,
          'unknown-target',
          `answer ${e.answer} of '${id}' goes to '${e.target}', which is not a node`,
          `use a node id of this pathway (${nodeIds.slice(0, 8).join(', ')}) or dx.<CODE>`,
        );
      }
    }
  }
}

function checkAnswers(ctx: Ctx): void {
  for (const [id, node] of Object.entries(ctx.pathway.nodes)) {
    if (node.type === 'choice') {
      const seen = new Set<string>();
      node.options.forEach((o, i) => {
        if (seen.has(o.id)) {
          report(
            ctx,
            ['nodes', id, 'options', i, 'id'],
            'duplicate-option',
            `option id '${o.id}' is used twice in '${id}'`,
            'give each option its own id',
          );
        }
        seen.add(o.id);
      });
      if (node.profile === 'sex' && !(seen.has('female') && seen.has('male'))) {
        report(
          ctx,
          ['nodes', id, 'profile'],
          'profile-mismatch',
          `'${id}' reads sex from the profile but lacks options 'female' and 'male'`,
          'add options with ids female and male',
        );
      }
    }
    if (node.type === 'number') {
      checkRanges(ctx, id, node);
      if (node.profile === 'age' && node.unit !== 'years' && node.unit !== 'months') {
        report(
          ctx,
          ['nodes', id, 'unit'],
          'profile-mismatch',
          `'${id}' reads age from the profile but its unit is ${node.unit}`,
          'use unit: years or unit: months',
        );
      }
    }
    if (node.type === 'yes-no') {
      const [yes, no] = edgesOf(id, node);
      if (yes && no && yes.target === no.target) {
        report(
          ctx,
          ['nodes', id, 'yes'],
          'answer-pointless',
          `yes and no of '${id}' both go to '${yes.target}'`,
          'route the answers differently, or remove the question',
          'warning',
        );
      }
    }
  }
}

function checkRanges(ctx: Ctx, id: string, node: NumberNode): void {
  const { min, max } = validBounds(node);
  if (min >= max) {
    report(
      ctx,
      ['nodes', id, 'valid'],
      'range-invalid',
      `valid.min ${min} is not below valid.max ${max}`,
      'make min smaller than max',
    );
    return;
  }
  const indexed = node.ranges.map((r, i) => ({ r, i }));
  for (const { r, i } of indexed) {
    if (r.from !== undefined && r.below !== undefined && r.from >= r.below) {
      report(
        ctx,
        ['nodes', id, 'ranges', i],
        'range-invalid',
        `range ${i + 1} of '${id}' is empty (from ${r.from}, below ${r.below})`,
        'make from smaller than below',
      );
      return;
    }
  }
  indexed.sort((a, b) => (a.r.from ?? -Infinity) - (b.r.from ?? -Infinity));
  let cursor = -Infinity;
  const show = (n: number): string =>
    Number.isFinite(n) ? String(n) : n < 0 ? 'the lowest value' : 'any value';
  for (const { r, i } of indexed) {
    const start = r.from ?? -Infinity;
    if (start > cursor && start > min && cursor <= max) {
      report(
        ctx,
        ['nodes', id, 'ranges', i],
        'range-gap',
        `answers from ${show(Math.max(cursor, min))} up to ${start} ${node.unit} have no route in '${id}'`,
        `add a range covering them, or set from: ${cursor === -Infinity ? 'nothing (leave it out)' : cursor} on this range`,
      );
    } else if (start < cursor) {
      report(
        ctx,
        ['nodes', id, 'ranges', i],
        'range-overlap',
        `range ${i + 1} of '${id}' overlaps the range before it (values ${show(start)} to ${cursor})`,
        `start this range at from: ${cursor}`,
      );
    }
    cursor = Math.max(cursor, r.below ?? Infinity);
  }
  if (cursor <= max) {
    const lastIndex = indexed[indexed.length - 1]?.i ?? 0;
    report(
      ctx,
      ['nodes', id, 'ranges', lastIndex],
      'range-gap',
      `answers of ${cursor} ${node.unit} and above (up to ${max}) have no route in '${id}'`,
      'leave out below: on the last range, or add a range for them',
    );
  }
}

function checkGraph(ctx: Ctx): void {
  const { pathway, scale } = ctx;
  const reachable = reachableFrom(pathway, pathway.start);
  for (const id of Object.keys(pathway.nodes)) {
    if (!reachable.has(id)) {
      report(
        ctx,
        ['nodes', id],
        'unreachable-node',
        `'${id}' cannot be reached from the start`,
        'route an answer to it, or delete it',
      );
    }
  }
  const cycle = findCycle(pathway);
  if (cycle) {
    const [first] = cycle;
    report(
      ctx,
      ['nodes', first ?? pathway.start],
      'cycle',
      `answers can go round in a loop: ${cycle.join(' -> ')}`,
      'pathways only move forward; route to a later question or an outcome',
    );
    return;
  }

  const bounds = urgencyBounds(pathway, scale);
  const terminals = [...reachable].filter((v) => outcomeCode(pathway, v) !== undefined);
  const low = terminals.filter((v) => scale.isLowUrgency(outcomeCode(pathway, v) ?? ''));
  const redFlags = Object.entries(pathway.nodes).filter(
    ([id, n]) => n.type !== 'outcome' && n.redFlag && reachable.has(id),
  );

  if (low.length > 0 && redFlags.length === 0) {
    report(
      ctx,
      ['nodes'],
      'red-flag-missing',
      'the pathway can end in self-care or non-urgent care but marks no red-flag question',
      'mark the questions that screen for danger with redFlag: true and ask them first',
    );
  }

  for (const [rf] of redFlags) {
    for (const t of low) {
      const bypass = routeAvoiding(pathway, pathway.start, t, rf);
      if (bypass) {
        report(
          ctx,
          ['nodes', rf],
          'red-flag-bypassed',
          `red-flag question '${rf}' can be skipped: answering ${describeRoute(bypass)} reaches ${outcomeCode(pathway, t) ?? t} without asking it`,
          'ask every red-flag question before any route can reach self-care or non-urgent care (move it earlier)',
        );
        break;
      }
    }
  }

  for (const [id, node] of Object.entries(pathway.nodes)) {
    if (node.type === 'outcome' || !reachable.has(id)) {
      continue;
    }
    const edges = edgesOf(id, node);
    const definite = edges.filter((e) => e.answer !== 'unsure');
    const unsure = edges.find((e) => e.answer === 'unsure');

    if (node.type === 'yes-no' && node.redFlag) {
      const [yes, no] = definite;
      const yb = yes && bounds.get(yes.target);
      const nb = no && bounds.get(no.target);
      if (yes && yb && nb && scale.isMoreUrgent(nb.most, yb.least)) {
        report(
          ctx,
          yes.path,
          'red-flag-yes-less-urgent',
          `answering yes to red flag '${id}' can end at ${yb.least}, less urgent than ${nb.most} reachable by answering no`,
          'route yes to an outcome at least as urgent as anything after no, and ask the more urgent red flags first',
        );
      }
    }

    if (unsure) {
      const ub = bounds.get(unsure.target);
      const no = node.type === 'yes-no' ? definite[1] : undefined;
      const safest = definite
        .map((e) => bounds.get(e.target)?.least)
        .filter((c): c is string => c !== undefined)
        .reduce<string | undefined>(
          (acc, c) => (acc === undefined || scale.isMoreUrgent(acc, c) ? c : acc),
          undefined,
        );
      if (no && unsure.target === no.target) {
        report(
          ctx,
          unsure.path,
          'unsure-as-no',
          `"don't know" in '${id}' goes the same way as no`,
          'route it like yes, or to a clinician (for example dx.CLINICIAN_NOW); leave it out to follow the most urgent answer',
        );
      } else if (
        ub &&
        outcomeCode(pathway, unsure.target) !== undefined &&
        scale.isLowUrgency(ub.least)
      ) {
        report(
          ctx,
          unsure.path,
          'unsure-unsafe',
          `"don't know" in '${id}' ends straight at ${ub.least}`,
          'uncertainty never ends at self-care or non-urgent care: route it to the next question, like the most urgent answer, or to a clinician',
        );
      } else if (ub && safest !== undefined && scale.isMoreUrgent(safest, ub.least)) {
        report(
          ctx,
          unsure.path,
          'unsure-unsafe',
          `"don't know" in '${id}' can end at ${ub.least}, less urgent than any definite answer`,
          'route uncertainty at least as urgently as the answers; leave unsure out to follow the most urgent answer',
        );
      }
    }

    for (const e of edges) {
      const code = outcomeCode(pathway, e.target);
      if (code !== undefined && !e.because && !scale.isLowUrgency(code)) {
        report(
          ctx,
          e.path,
          'reason-missing',
          `answer ${e.answer} of '${id}' leads to ${code} without a reason for the patient`,
          'add because: with the reason in plain words ("You said the pain spreads to your arm")',
          'warning',
        );
      }
    }
  }
}

/** All static checks of one pathway; the list is empty when it is sound. */
export function checkPathway(
  pathway: Pathway,
  source: SourceMap,
  scale: DispositionScale,
): PathwayError[] {
  const ctx: Ctx = { pathway, source, scale, errors: [] };
  checkHeader(ctx);
  checkReferences(ctx);
  checkAnswers(ctx);
  if (ctx.errors.some((e) => e.rule === 'unknown-target' || e.rule === 'unknown-disposition')) {
    return ctx.errors;
  }
  checkGraph(ctx);
  return ctx.errors;
}
