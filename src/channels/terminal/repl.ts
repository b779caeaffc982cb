import type { ConversationEngine, Reply } from '../../flows/index.js';

/**
 * The terminal channel, for developers and clinical authors: the same conversation as every other
 * channel, in a console. Options are numbered; typing a number picks that option.
 */

export interface TerminalIo {
  lines: AsyncIterable<string>;
  write(text: string): void;
}

const RULE = '-'.repeat(60);

/** Renders replies as console text; returns the options shown, in order, for number input. */
export function renderReplies(replies: readonly Reply[]): { text: string; options: string[] } {
  const out: string[] = [];
  let options: string[] = [];
  for (const r of replies) {
    if (r.kind === 'emergency') {
      out.push(RULE, `!! ${r.text}`);
      r.disposition?.reasons.forEach((reason) => out.push(`   Because: ${reason}`));
      out.push(RULE);
      continue;
    }
    if (r.kind === 'outcome' && r.disposition) {
      out.push(RULE, `>> ${r.text}`);
      r.disposition.reasons.forEach((reason) => out.push(`   Because: ${reason}`));
      out.push(RULE);
      continue;
    }
    out.push(r.kind === 'error' ? `(!) ${r.text}` : r.text);
    if (r.options && r.options.length > 0) {
      options = r.options.map((o) => o.id);
      r.options.forEach((o, i) => out.push(`   ${i + 1}. ${o.label}`));
    }
  }
  return { text: out.join('\n'), options };
}

export async function runTerminal(engine: ConversationEngine, io: TerminalIo): Promise<void> {
  const start = await engine.start({ channel: 'terminal' });
  let shown = renderReplies(start.replies);
  io.write(`${shown.text}\n> `);
  for await (const raw of io.lines) {
    const text = raw.trim();
    if (text === '') {
      io.write('> ');
      continue;
    }
    const index = /^\d{1,2}$/.test(text) ? Number(text) - 1 : -1;
    const optionId = index >= 0 ? shown.options[index] : undefined;
    const turn = await engine.handle({
      channel: 'terminal',
      conversationId: start.conversationId,
      ...(optionId ? { optionId } : { text }),
    });
    if ('notFound' in turn) {
      io.write('This conversation has expired. Start the chat again.\n');
      return;
    }
    shown = renderReplies(turn.replies);
    io.write(`${shown.text}\n`);
    if (turn.ended) {
      io.write(
        '(The conversation has ended. Type "restart" to begin again, or press Ctrl+D to leave.)\n',
      );
    }
    io.write('> ');
  }
}
