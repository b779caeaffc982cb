import type { Disposition, DispositionScale, PathwayNode } from '../triage/index.js';
import type { Reply, ReplyDisposition, ReplyOption } from './contracts.js';

/** Builders for the channel-neutral replies. Wording lives here, not in channels. */

export const YES_NO_OPTIONS: ReplyOption[] = [
  { id: 'yes', label: 'Yes' },
  { id: 'no', label: 'No' },
  { id: 'unsure', label: "I don't know" },
];

export function statement(text: string): Reply {
  return { kind: 'statement', text, expects: 'none' };
}

export function question(
  text: string,
  expects: Reply['expects'],
  options?: ReplyOption[],
  extra: Partial<Reply> = {},
): Reply {
  return { kind: 'question', text, expects, ...(options ? { options } : {}), ...extra };
}

export function yesNo(text: string, extra: Partial<Reply> = {}): Reply {
  return question(text, 'yes-no', YES_NO_OPTIONS, extra);
}

/** A pathway question as a reply: the options a patient can pick, and what input is expected. */
export function pathwayQuestion(node: Exclude<PathwayNode, { type: 'outcome' }>): Reply {
  const extra: Partial<Reply> = {
    ...(node.voice ? { voice: node.voice } : {}),
    ...(node.help ? { help: node.help } : {}),
  };
  switch (node.type) {
    case 'yes-no':
      return yesNo(node.ask, extra);
    case 'choice':
      return question(
        node.ask,
        'choice',
        [
          ...node.options.map((o) => ({
            id: o.id,
            label: o.label,
            ...(o.synonyms.length > 0 ? { synonyms: o.synonyms } : {}),
          })),
          { id: 'unsure', label: "I don't know" },
        ],
        extra,
      );
    case 'number':
      return question(node.ask, 'number', [{ id: 'unsure', label: "I don't know" }], extra);
  }
}

export function replyDisposition(d: Disposition, reasons: string[]): ReplyDisposition {
  return {
    code: d.code,
    category: d.category,
    rank: d.rank,
    service: d.service,
    ...(d.timeframe ? { timeframe: d.timeframe } : {}),
    label: d.label,
    reasons,
  };
}

/** The outcome: what to do and how fast, why, what to do meanwhile, when to get help sooner. */
export function outcomeReplies(
  scale: DispositionScale,
  code: string,
  reasons: string[],
  advice?: string,
  safetyNet?: string,
): Reply[] {
  const d = scale.get(code);
  const kind = d.category === 'emergency' ? 'emergency' : 'outcome';
  const replies: Reply[] = [
    {
      kind,
      text: `${d.label}. ${d.wording}`,
      expects: 'none',
      disposition: replyDisposition(d, reasons),
    },
  ];
  if (advice) {
    replies.push(statement(`What you can do now: ${advice}`));
  }
  replies.push(
    statement(
      `Get help sooner if things change: ${safetyNet ? `${safetyNet} ` : ''}${d.safetyNet}`,
    ),
  );
  return replies;
}

export function emergencyReply(
  scale: DispositionScale,
  code: string,
  title: string,
  advice: string,
): Reply {
  const d = scale.get(code);
  return {
    kind: 'emergency',
    text: `${d.label}. ${advice} ${code === 'CALL_999' ? 'We cannot call 999 for you from here.' : d.wording}`,
    expects: 'none',
    disposition: replyDisposition(d, [`You told us about: ${title.toLowerCase()}.`]),
  };
}
