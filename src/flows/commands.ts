import { normalise } from '../triage/index.js';

/** Words that mean a command wherever the patient is in the conversation. */
export type Command = 'back' | 'restart' | 'help' | 'stop';

const COMMANDS: Record<string, Command> = {
  back: 'back',
  'go back': 'back',
  undo: 'back',
  'change my answer': 'back',
  'change answer': 'back',
  restart: 'restart',
  'start again': 'restart',
  'start over': 'restart',
  'new conversation': 'restart',
  help: 'help',
  'what does this mean': 'help',
  stop: 'stop',
  quit: 'stop',
  exit: 'stop',
  'end chat': 'stop',
};

/** A whole message that is one of the commands, or undefined. */
export function parseCommand(text: string): Command | undefined {
  const n = normalise(text)
    .replace(/[.,]/g, '')
    .replace(/^please /, '')
    .trim();
  return COMMANDS[n];
}
