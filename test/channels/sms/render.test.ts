import { describe, expect, test } from 'vitest';
import { messagingTwiml, replyText, smsBodies } from '../../../src/channels/sms/render.js';
import { countSegments, isGsm7 } from '../../../src/channels/sms/segments.js';
import type { Reply } from '../../../src/flows/index.js';
import { messagesOf } from './sms-helpers.js';

const YES_NO: Reply['options'] = [
  { id: 'yes', label: 'Yes' },
  { id: 'no', label: 'No' },
  { id: 'unsure', label: "I don't know" },
];

function aQuestion(overrides: Partial<Reply> = {}): Reply {
  return {
    kind: 'question',
    text: 'Do you have a fever?',
    expects: 'yes-no',
    options: YES_NO,
    ...overrides,
  };
}

function anEmergency(text: string, service = 'ambulance'): Reply {
  return {
    kind: 'emergency',
    text,
    expects: 'none',
    disposition: {
      code: 'CALL_999',
      category: 'emergency',
      rank: 1,
      service,
      label: 'Call 999 now',
      reasons: ['You told us about: chest pain.'],
    },
  };
}

describe('replyText: options', () => {
  test('when a yes-or-no question is rendered, then its options are numbered in order on one line', () => {
    expect(replyText(aQuestion())).toBe(
      "Do you have a fever?\nReply 1 for Yes, 2 for No, 3 if you don't know.",
    );
  });

  test('when a choice has short labels, then they are numbered on one line', () => {
    const reply = aQuestion({
      text: 'Is this about you, or about someone else?',
      expects: 'choice',
      options: [
        { id: 'self', label: 'Me' },
        { id: 'other', label: 'Someone else' },
      ],
    });
    expect(replyText(reply)).toBe(
      'Is this about you, or about someone else?\nReply 1 for Me, 2 for Someone else.',
    );
  });

  test('when a choice has long labels, then they are a numbered list, one per line', () => {
    const reply = aQuestion({
      text: 'Which of these sounds most like the pain?',
      expects: 'choice',
      options: [
        { id: 'burning', label: 'A burning feeling high in the tummy' },
        { id: 'wind', label: 'Wind or bloating' },
        { id: 'unsure', label: "I don't know" },
      ],
    });
    expect(replyText(reply).split('\n')).toEqual([
      'Which of these sounds most like the pain?',
      '1 A burning feeling high in the tummy',
      '2 Wind or bloating',
      "3 I don't know",
      'Reply with the number.',
    ]);
  });

  test('when a number question offers "I don\'t know", then it is named, never numbered', () => {
    const reply = aQuestion({
      text: 'How old are you?',
      expects: 'number',
      options: [{ id: 'unsure', label: "I don't know" }],
    });
    expect(replyText(reply)).toBe('How old are you? Or reply "don\'t know".');
  });

  test('when a free-text question offers skip, then the word to send is named', () => {
    const reply = aQuestion({
      text: 'Type your NHS number.',
      expects: 'text',
      options: [{ id: 'skip', label: 'Skip' }],
    });
    expect(replyText(reply)).toBe('Type your NHS number. Or reply "Skip".');
  });

  test('when an outcome has reasons, then they follow it', () => {
    const reply: Reply = {
      kind: 'outcome',
      text: 'See a pharmacist today.',
      expects: 'none',
      disposition: {
        code: 'PHARMACY_24H',
        category: 'non-urgent',
        rank: 10,
        service: 'pharmacy',
        label: 'See a pharmacist',
        reasons: ['You said it has lasted 2 days.'],
      },
    };
    expect(replyText(reply)).toBe(
      'See a pharmacist today.\nWhy we said this: You said it has lasted 2 days.',
    );
  });
});

describe('replyText: emergencies', () => {
  test('when the engine says it cannot call 999 at the end, then that moves up behind the instruction', () => {
    const text = replyText(
      anEmergency(
        'Call 999 now. Sit them down and keep them resting. If they become unresponsive, start chest compressions. We cannot call 999 for you from here.',
      ),
    );
    expect(text).toBe(
      'Call 999 now. We cannot call 999 for you from here. Sit them down and keep them resting. If they become unresponsive, start chest compressions.',
    );
  });

  test('when an ambulance emergency does not say we cannot call 999, then the text says so', () => {
    expect(replyText(anEmergency('Call 999 now. Stay with them.'))).toBe(
      'Call 999 now. We cannot call 999 for you by text. Stay with them.',
    );
  });

  test('when an emergency is A&E, then nothing about calling 999 is added', () => {
    expect(
      replyText(anEmergency('Go to A&E now. Take your medicines.', 'emergency-department')),
    ).toBe('Go to A&E now. Take your medicines.');
  });
});

describe('smsBodies', () => {
  test('when an emergency comes after other replies, then it opens the first message, 999 in the first segment', () => {
    const welcome: Reply = {
      kind: 'statement',
      text: 'Welcome. '.repeat(20).trim(),
      expects: 'none',
    };
    const emergency = anEmergency(
      `Call 999 now. ${'Keep them still and warm. '.repeat(8).trim()} We cannot call 999 for you from here.`,
    );
    const bodies = smsBodies([welcome, aQuestion(), emergency]);
    const first = bodies[0] ?? '';
    expect(first.startsWith('Call 999 now. We cannot call 999 for you from here.')).toBe(true);
    expect(first.slice(0, 153)).toContain('We cannot call 999 for you');
  });

  test('when replies hold non-GSM characters, then every message is GSM-7 and within 3 segments', () => {
    const long: Reply = {
      kind: 'statement',
      text: 'It’s “important” – rest… '.repeat(60),
      expects: 'none',
    };
    const bodies = smsBodies([long, aQuestion()]);
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) {
      expect(isGsm7(body)).toBe(true);
      expect(countSegments(body)).toMatchObject({ encoding: 'GSM-7' });
      expect(countSegments(body).segments).toBeLessThanOrEqual(3);
    }
  });
});

describe('messagingTwiml', () => {
  test('when texts hold XML characters, then each is one escaped <Message> in one <Response>', () => {
    const twiml = messagingTwiml(['A & B <ok>', 'Second "one"']);
    expect(messagesOf(twiml)).toEqual(['A & B <ok>', 'Second "one"']);
    expect(twiml).toContain('A &amp; B &lt;ok&gt;');
  });
});
