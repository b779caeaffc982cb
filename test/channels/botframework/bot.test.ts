import { describe, expect, test } from 'vitest';
import {
  conversationKey,
  firstTurnReplies,
  isGreeting,
  readInput,
} from '../../../src/channels/botframework/bot.js';
import type { Reply } from '../../../src/flows/index.js';

const teamsConversation = {
  channelId: 'msteams',
  conversation: { id: `a:1${'x'.repeat(300)}`, isGroup: false, name: '' },
};

describe('Bot Framework bot: conversation key', () => {
  test('when the same conversation is seen twice, then it maps to the same engine id, within 128 characters', () => {
    const first = conversationKey(teamsConversation);

    expect(conversationKey({ ...teamsConversation })).toBe(first);
    expect(first).toMatch(/^bf-[0-9a-f]{40}$/);
    expect(first.length).toBeLessThanOrEqual(128);
  });

  test('when two channels use the same conversation id, then they get different engine ids', () => {
    const conversation = { id: 'conv-1', isGroup: false, name: '' };

    expect(conversationKey({ channelId: 'emulator', conversation })).not.toBe(
      conversationKey({ channelId: 'webchat', conversation }),
    );
  });
});

describe('Bot Framework bot: greetings', () => {
  test.each(['hi', 'Hello!', '  hey there ', 'Good morning.', 'get started', ''])(
    'when the first message is "%s", then it is only a greeting',
    (text) => {
      expect(isGreeting(text)).toBe(true);
    },
  );

  test.each(['hi, I have a headache', 'help', 'yes', 'my chest hurts'])(
    'when the first message is "%s", then it is more than a greeting',
    (text) => {
      expect(isGreeting(text)).toBe(false);
    },
  );
});

describe('Bot Framework bot: reading an activity', () => {
  test.each([
    [{ text: '  yes \n' }, { text: 'yes' }],
    [
      { text: 'Yes', value: { optionId: 'yes' } },
      { text: 'Yes', optionId: 'yes' },
    ],
    [{ value: { optionId: 'self' } }, { optionId: 'self' }],
    [{ text: '', value: { optionId: 7 } }, {}],
    [{ value: { optionId: 'x'.repeat(101) } }, {}],
    [{ value: 'yes' }, {}],
    [{}, {}],
  ])('when the activity is %j, then the input is %j', (activity, expected) => {
    expect(readInput(activity)).toEqual(expected);
  });

  test('when the text is over 1,000 characters, then it is reported as too long', () => {
    expect(readInput({ text: 'a'.repeat(1001) })).toBe('too-long');
  });
});

describe('Bot Framework bot: first turn', () => {
  const welcome: Reply = { kind: 'statement', text: 'Welcome.', expects: 'none' };
  const consent: Reply = { kind: 'question', text: 'Can we keep a record?', expects: 'yes-no' };

  test('when the passed-on first message is an emergency, then only the emergency answer is sent', () => {
    const emergency: Reply = { kind: 'emergency', text: 'Call 999 now.', expects: 'none' };

    expect(firstTurnReplies([welcome, consent], [emergency])).toEqual([emergency]);
  });

  test('when the passed-on first message is not an emergency, then the welcome comes first', () => {
    const next: Reply = { kind: 'question', text: 'Who is it for?', expects: 'choice' };

    expect(firstTurnReplies([welcome, consent], [next])).toEqual([welcome, consent, next]);
  });
});
