import { createActor, type SnapshotFrom } from 'xstate';
import { ageInYears, type CrmService, type PatientProfile } from '../crm/index.js';
import { parseYesNo, type RedFlagDetector } from '../triage/index.js';
import {
  AppError,
  newId,
  shortCode,
  systemClock,
  type Clock,
  type Logger,
} from '../shared/index.js';
import { parseCommand } from './commands.js';
import {
  InboundMessageSchema,
  type Channel,
  type ConversationStatus,
  type InboundMessage,
  type Reply,
  type TranscriptEntry,
} from './contracts.js';
import {
  CONVERSATION_MACHINE_VERSION,
  type ConversationEvent,
  type ConversationMachine,
  type PatientFacts,
} from './conversation.machine.js';
import type { ConversationRecord, ConversationStore, Loaded } from './conversation.store.js';
import { spokenDay } from './dates.js';
import type { Effect, EffectResultEvent, PatientSummary } from './effects.js';
import { fallbackReply } from './fallback.js';
import type { PathwayLibrary } from './pathway-library.js';

/**
 * One turn of a conversation: load the record, restore the machine, apply one event, save with
 * a revision check, return the replies. Nothing is kept in memory between turns, so any process
 * can serve any turn. Any failure inside a turn answers with the safe fallback and saves nothing
 * half-done.
 */

export interface TurnResult {
  conversationId: string;
  replies: Reply[];
  status: ConversationStatus;
  /** The conversation has reached an end (an outcome, or the patient stopped). */
  ended: boolean;
}

export interface ConversationView {
  conversationId: string;
  channel: Channel;
  status: ConversationStatus;
  pathway?: { id: string; version: number };
  disposition?: string;
  transcript: TranscriptEntry[];
}

/** What the engine reports, so metrics can be kept without the engine knowing prom-client. */
export interface EngineObserver {
  turn(info: { durationMs: number; result: 'ok' | 'fallback' | 'duplicate' | 'recovered' }): void;
  disposition(info: { code: string; category: string }): void;
  redFlag(info: { flag: string }): void;
}

export interface EngineDeps {
  store: ConversationStore;
  machine: ConversationMachine;
  library: PathwayLibrary;
  redFlags: RedFlagDetector;
  logger: Logger;
  clock?: Clock;
  observer?: EngineObserver;
  categoryOf?: (code: string) => string;
  /** The CRM; without it conversations stay anonymous. */
  crm?: CrmService;
  /** Keyed hash of a channel address, so no store key holds a phone number in clear. */
  hashAddress?: (address: string) => string;
}

/** A message from a channel that knows who is writing (a phone number) but not the conversation. */
export type AddressedMessage = Omit<InboundMessage, 'conversationId' | 'sender'> & {
  address: string;
};

/** A message carrying only its text: a confirmed read-back is what was said, not the key pressed. */
function withoutOption(msg: InboundMessage): InboundMessage {
  const rest = { ...msg };
  delete rest.optionId;
  return rest;
}

/** Speech recognised with less confidence than this is read back for the caller to confirm. */
export const LOW_CONFIDENCE = 0.5;
/** A conversation quiet for longer than this starts again, with a welcome back. */
export const IDLE_RESTART_MS = 24 * 60 * 60 * 1000;

const MAX_ATTEMPTS = 4;
const MAX_EFFECT_ROUNDS = 5;
/** A previous problem is offered back to a returning patient when it is this recent. */
const RECENT_PROBLEM_DAYS = 30;
const MAX_TRANSCRIPT = 300;

type Snapshot = SnapshotFrom<ConversationMachine>;

function statusOf(snapshot: Snapshot): ConversationStatus {
  if (snapshot.matches('emergency') || snapshot.matches('confirmingRedFlag')) {
    return 'emergency';
  }
  return snapshot.matches('outcome') || snapshot.matches('ended') ? 'ended' : 'active';
}

export class ConversationEngine {
  readonly #deps: EngineDeps;
  readonly #clock: Clock;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /** Starts a conversation: the welcome and the first question. */
  async start(options: {
    channel: Channel;
    conversationId?: string;
    facts?: PatientFacts;
    phone?: string;
    returning?: boolean;
    /** The request that started it (a webhook's id), so a retried first request is not applied twice. */
    idempotencyKey?: string;
  }): Promise<TurnResult> {
    const started = performance.now();
    const id = options.conversationId ?? newId();
    const now = this.#clock.now().toISOString();
    const record: ConversationRecord = {
      schema: 1,
      machineVersion: CONVERSATION_MACHINE_VERSION,
      id,
      channel: options.channel,
      createdAt: now,
      updatedAt: now,
      status: 'active',
      snapshot: undefined,
      transcript: [],
      ...(options.phone ? { address: options.phone } : {}),
    };
    const opening: InboundMessage | undefined = options.idempotencyKey
      ? { channel: options.channel, conversationId: id, idempotencyKey: options.idempotencyKey }
      : undefined;
    const result = await this.#run(record, 0, { type: 'conversation.start' }, opening, {
      ...(options.facts ? { facts: options.facts } : {}),
      ...(options.phone ? { phone: options.phone } : {}),
      ...(options.returning ? { returning: true } : {}),
    });
    this.#deps.observer?.turn({ durationMs: performance.now() - started, result: 'ok' });
    if (result === 'conflict' || result === 'unrestorable') {
      throw new AppError('internal', `conversation ${id} could not be started`);
    }
    return result;
  }

  /** Applies one inbound message. Unknown conversations are a 404 for the caller to answer. */
  async handle(
    message: InboundMessage,
    preloaded?: Loaded,
  ): Promise<TurnResult | { notFound: true }> {
    const parsed = InboundMessageSchema.safeParse(message);
    if (!parsed.success) {
      throw new AppError('invalid-input', 'The message could not be read.');
    }
    const msg = parsed.data;
    const started = performance.now();
    const log = this.#deps.logger.child({
      conversationId: msg.conversationId,
      channel: msg.channel,
    });
    let result: 'ok' | 'fallback' | 'duplicate' | 'recovered' = 'ok';
    try {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        // The caller may have loaded the conversation already (handleFrom): the first attempt
        // uses that, and only a retry after a conflict reads it again.
        const { conversation, remembered } =
          attempt === 1 && preloaded
            ? preloaded
            : await this.#deps.store.load(msg.conversationId, msg.idempotencyKey);
        if (remembered) {
          result = 'duplicate';
          log.info({ idempotency: 'hit' }, 'turn repeated; answered from memory');
          return {
            conversationId: msg.conversationId,
            replies: remembered,
            status: 'active',
            ended: false,
          };
        }
        if (!conversation) {
          return { notFound: true };
        }
        const record = conversation.record;
        const heard = record ? this.#confirmSpeech(record, msg) : undefined;
        if (record && heard?.kind === 'ask') {
          const held = {
            ...record,
            pendingSpeech: heard.text,
            updatedAt: this.#clock.now().toISOString(),
          };
          const saved = await this.#deps.store.save(held, conversation.rev);
          if (!saved.ok) {
            continue;
          }
          return {
            conversationId: msg.conversationId,
            replies: [heard.reply],
            status: record.status,
            ended: false,
          };
        }
        const event: ConversationEvent =
          heard?.kind === 'rejected'
            ? { type: 'conversation.resumed' }
            : this.#classify(
                heard?.kind === 'confirmed' ? withoutOption({ ...msg, text: heard.text }) : msg,
              );
        // Counted once per turn (not per retry, nor when a channel only asks whether a message
        // would interrupt).
        if (event.type === 'user.redflag' && attempt === 1) {
          this.#deps.observer?.redFlag({ flag: event.hit.flag });
        }
        if (
          !record ||
          record.machineVersion !== CONVERSATION_MACHINE_VERSION ||
          !(await this.#pathwayAvailable(record))
        ) {
          result = 'recovered';
          log.warn(
            { reason: record ? 'machine-or-pathway-unavailable' : 'unreadable-record' },
            'conversation could not be restored; starting afresh',
          );
          return await this.#recover(msg, conversation.rev, record?.channel ?? msg.channel);
        }
        const turn = await this.#run(record, conversation.rev, event, msg);
        if (turn === 'conflict') {
          log.info({ attempt }, 'another turn saved first; retrying');
          continue;
        }
        if (turn === 'unrestorable') {
          result = 'recovered';
          log.warn(
            { reason: 'snapshot-unrestorable' },
            'conversation could not be restored; starting afresh',
          );
          return await this.#recover(msg, conversation.rev, record.channel);
        }
        return turn;
      }
      throw new AppError('internal', 'the conversation kept changing under this turn');
    } catch (err) {
      result = 'fallback';
      log.error(
        {
          err:
            err instanceof Error
              ? { message: err.message, code: (err as { code?: string }).code }
              : String(err),
        },
        'turn failed; safe fallback sent',
      );
      return {
        conversationId: msg.conversationId,
        replies: [fallbackReply()],
        status: 'active',
        ended: false,
      };
    } finally {
      const durationMs = performance.now() - started;
      this.#deps.observer?.turn({ durationMs, result });
      // One summary line per turn: codes and timings only, never what the patient wrote.
      log.info(
        {
          durationMs: Math.round(durationMs * 10) / 10,
          result,
          idempotencyKey: msg.idempotencyKey !== undefined,
        },
        'turn',
      );
    }
  }

  async view(conversationId: string): Promise<ConversationView | undefined> {
    const { conversation } = await this.#deps.store.load(conversationId);
    const record = conversation?.record;
    if (!record) {
      return undefined;
    }
    return {
      conversationId: record.id,
      channel: record.channel,
      status: record.status,
      ...(record.pathway
        ? { pathway: { id: record.pathway.id, version: record.pathway.version } }
        : {}),
      ...(record.disposition ? { disposition: record.disposition } : {}),
      transcript: record.transcript,
    };
  }

  /**
   * A message from a channel that knows who is writing (SMS, voice): the conversation is found
   * by the sender's address. A first message starts one; so does a message after more than a
   * day of silence, with a welcome back. A first message that is an emergency or a command is
   * acted on at once, after the welcome.
   */
  async handleFrom(message: AddressedMessage): Promise<TurnResult & { started: boolean }> {
    const { address, ...rest } = message;
    const key = this.#addressKey(message.channel, address);
    const existing = await this.#deps.store.findByAddress(key);
    if (existing) {
      const loaded = await this.#deps.store.load(existing, message.idempotencyKey);
      const { conversation, remembered } = loaded;
      if (remembered) {
        // A retried webhook, or a channel asking to hear a turn again: the same answer.
        return {
          conversationId: existing,
          replies: remembered,
          status: conversation?.record?.status ?? 'active',
          ended: false,
          started: false,
        };
      }
      const updated = conversation?.record?.updatedAt;
      const idle =
        updated === undefined ||
        this.#clock.now().getTime() - new Date(updated).getTime() > IDLE_RESTART_MS;
      const empty =
        (rest.text === undefined || rest.text.trim() === '') && rest.optionId === undefined;
      if (!idle && empty) {
        // A call or chat opened again with nothing said yet: ask where we were.
        const resumed = await this.#resumeConversation(existing, message.channel);
        if (resumed) {
          return { ...resumed, started: false };
        }
      }
      if (!idle) {
        const turn = await this.handle(
          { ...rest, conversationId: existing, sender: address },
          loaded,
        );
        if (!('notFound' in turn)) {
          return { ...turn, started: false };
        }
      }
    }
    const phone = message.channel === 'sms' || message.channel === 'voice' ? address : undefined;
    // A first message that is an emergency or a command is acted on after the welcome, and its
    // idempotency key then belongs to that turn; otherwise the key marks the start itself, so a
    // retried first webhook is answered with the same welcome.
    const first =
      message.text === undefined ? undefined : this.#classify({ ...rest, conversationId: 'new' });
    const actOnFirst = first !== undefined && first.type !== 'user.message';
    const started = await this.start({
      channel: message.channel,
      ...(phone ? { phone } : {}),
      ...(existing ? { returning: true } : {}),
      ...(message.idempotencyKey && !actOnFirst ? { idempotencyKey: message.idempotencyKey } : {}),
    });
    await this.#deps.store.linkAddress(key, started.conversationId);
    if (actOnFirst) {
      const turn = await this.handle({
        ...rest,
        conversationId: started.conversationId,
        sender: address,
      });
      if (!('notFound' in turn)) {
        return { ...turn, replies: [...started.replies, ...turn.replies], started: true };
      }
    }
    return { ...started, started: true };
  }

  /**
   * Whether a message must be acted on at once wherever the conversation is: an emergency or a
   * command. Channels use it for a first message, which otherwise waits for the welcome.
   */
  interrupts(text: string): boolean {
    return (
      text.trim() !== '' &&
      this.#classify({ channel: 'web', conversationId: 'check', text }).type !== 'user.message'
    );
  }

  /** A short code that continues this conversation on another channel. */
  async resumeCode(conversationId: string): Promise<string | undefined> {
    const { conversation } = await this.#deps.store.load(conversationId);
    if (!conversation?.record) {
      return undefined;
    }
    const code = shortCode(6);
    await this.#deps.store.saveResumeCode(code, conversationId);
    return code;
  }

  /**
   * Continues a conversation from a resume code on another channel, asking again where it was.
   * With an address (SMS), later messages from it reach the same conversation.
   */
  async resume(code: string, channel: Channel, address?: string): Promise<TurnResult | undefined> {
    const conversationId = await this.#deps.store.findByResumeCode(code.trim().toUpperCase());
    if (!conversationId) {
      return undefined;
    }
    if (address !== undefined) {
      await this.#deps.store.linkAddress(this.#addressKey(channel, address), conversationId);
    }
    return this.#resumeConversation(conversationId, channel, address);
  }

  /** Asks again where a conversation was, now on `channel`. */
  async #resumeConversation(
    conversationId: string,
    channel: Channel,
    address?: string,
  ): Promise<TurnResult | undefined> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { conversation } = await this.#deps.store.load(conversationId);
      if (!conversation?.record || !(await this.#pathwayAvailable(conversation.record))) {
        return undefined;
      }
      // An identified patient who moves to their phone keeps one record: the number joins it, so
      // later texts or calls from it find the same patient and history.
      const { patientId } = conversation.record;
      if (
        attempt === 1 &&
        patientId &&
        address !== undefined &&
        (channel === 'sms' || channel === 'voice')
      ) {
        await this.#deps.crm?.update(patientId, { phone: address }).catch((err: unknown) => {
          this.#deps.logger.warn(
            { err: err instanceof Error ? { message: err.message } : String(err) },
            'could not add the phone number to the patient record',
          );
        });
      }
      const turn = await this.#run({ ...conversation.record, channel }, conversation.rev, {
        type: 'conversation.resumed',
      });
      if (turn !== 'conflict' && turn !== 'unrestorable') {
        return turn;
      }
    }
    return undefined;
  }

  /** SMS opt-out (STOP) and opt-in (START), recorded against the number in the CRM. */
  async setSmsOptOut(phone: string, optedOut: boolean): Promise<boolean> {
    const found = await this.#deps.crm?.identifyByPhone(phone);
    if (!found?.ok) {
      return false;
    }
    await this.#deps.crm?.setFlag(found.patient.id, 'smsOptOut', optedOut);
    return true;
  }

  /** Whether a number has opted out of messages; unknown numbers have not. */
  async isSmsOptedOut(phone: string): Promise<boolean> {
    const found = await this.#deps.crm?.identifyByPhone(phone);
    return found?.ok === true && found.patient.flags.smsOptOut;
  }

  /**
   * The triage so far, in a few spoken sentences, for the person who takes a handed-off call:
   * the questions answered, and any advice already given. Read from the transcript.
   */
  async summary(conversationId: string): Promise<string | undefined> {
    const { conversation } = await this.#deps.store.load(conversationId);
    const record = conversation?.record;
    if (!record) {
      return undefined;
    }
    const lines: string[] = [];
    record.transcript.forEach((entry, i) => {
      const before = record.transcript[i - 1];
      if (entry.from === 'patient' && before?.from === 'service' && before.text.endsWith('?')) {
        lines.push(`Asked: ${before.text} Answer: ${entry.text}.`);
      }
    });
    const parts = [
      'This is a call handed over from the digital 111 service.',
      record.pathway
        ? `The caller was being assessed for ${record.pathway.id.replace(/-/g, ' ')}.`
        : 'The caller had not yet described the problem.',
      ...(record.disposition
        ? [`The advice so far is ${record.disposition.replace(/_/g, ' ')}.`]
        : []),
      ...lines.slice(-8),
    ];
    return parts.join(' ');
  }

  #addressKey(channel: Channel, address: string): string {
    const hash = this.#deps.hashAddress;
    if (!hash) {
      throw new AppError('internal', 'addressed channels need hashAddress');
    }
    return hash(`${channel}:${address}`);
  }

  /**
   * Speech heard with low confidence is read back before it is used ("I heard 'three days', is
   * that right?"). Red flags and commands are never held back: acting on a possible emergency
   * matters more than being sure we heard it.
   */
  #confirmSpeech(
    record: ConversationRecord,
    msg: InboundMessage,
  ):
    | { kind: 'ask'; text: string; reply: Reply }
    | { kind: 'confirmed'; text: string }
    | { kind: 'rejected' }
    | undefined {
    const text = msg.text?.trim() ?? '';
    if (record.pendingSpeech !== undefined) {
      const answer = parseYesNo(msg.optionId ?? text);
      if (answer === 'yes') {
        return { kind: 'confirmed', text: record.pendingSpeech };
      }
      return answer === 'no' ? { kind: 'rejected' } : undefined;
    }
    if (msg.confidence === undefined || msg.confidence >= LOW_CONFIDENCE || text === '') {
      return undefined;
    }
    if (this.#classify(msg).type !== 'user.message') {
      return undefined;
    }
    return {
      kind: 'ask',
      text,
      reply: {
        kind: 'question',
        text: `I heard "${text}". Is that right?`,
        expects: 'yes-no',
        options: [
          { id: 'yes', label: 'Yes' },
          { id: 'no', label: 'No' },
        ],
      },
    };
  }

  /** Commands and red flags are recognised here so they work from every state of the machine. */
  #classify(msg: InboundMessage): ConversationEvent {
    const text = msg.text?.trim() ?? '';
    if (text !== '') {
      const command = parseCommand(text);
      if (command) {
        return { type: 'user.command', command };
      }
      const [hit] = this.#deps.redFlags.detect(text);
      if (hit) {
        return { type: 'user.redflag', hit };
      }
    }
    return { type: 'user.message', text, ...(msg.optionId ? { optionId: msg.optionId } : {}) };
  }

  /** Makes sure the pathway a conversation pinned is loaded, from the archive if need be. */
  async #pathwayAvailable(record: ConversationRecord): Promise<boolean> {
    const ref = record.pathway;
    if (!ref || this.#deps.library.has(ref)) {
      return true;
    }
    const stored = await this.#deps.store.loadPathway(ref);
    return stored !== undefined && this.#deps.library.restore(ref, stored);
  }

  /** A fresh start for a conversation whose stored state cannot be used. */
  async #recover(msg: InboundMessage, rev: number, channel: Channel): Promise<TurnResult> {
    const now = this.#clock.now().toISOString();
    const record: ConversationRecord = {
      schema: 1,
      machineVersion: CONVERSATION_MACHINE_VERSION,
      id: msg.conversationId,
      channel,
      createdAt: now,
      updatedAt: now,
      status: 'active',
      snapshot: undefined,
      transcript: [],
    };
    const turn = await this.#run(record, rev, { type: 'conversation.start' }, msg);
    if (turn === 'conflict' || turn === 'unrestorable') {
      throw new AppError('internal', 'could not start the conversation afresh');
    }
    const notice: Reply = {
      kind: 'error',
      text: "Sorry, we couldn't continue your earlier conversation, so we need to start again. If you are worried, call 111, or 999 in an emergency.",
      expects: 'none',
    };
    return { ...turn, replies: [notice, ...turn.replies] };
  }

  /** Carries out one effect and returns the event that reports its result. */
  async #perform(effect: Effect): Promise<EffectResultEvent | undefined> {
    const { crm } = this.#deps;
    const now = this.#clock.now();
    try {
      switch (effect.kind) {
        case 'identify-nhs': {
          if (!crm) {
            return { type: 'crm.unavailable' };
          }
          const found = await crm.identifyByNhsNumber(effect.nhsNumber, effect.dateOfBirth);
          if (!found.ok) {
            return { type: 'crm.not-identified' };
          }
          return { type: 'crm.identified', patient: await this.#summarise(found.patient, now) };
        }
        case 'identify-phone': {
          if (!crm) {
            return { type: 'crm.unavailable' };
          }
          const found = await crm.identifyByPhone(effect.phone);
          return found.ok
            ? { type: 'crm.identified', patient: await this.#summarise(found.patient, now) }
            : { type: 'crm.not-identified' };
        }
        case 'check-repeat': {
          const recent = crm
            ? await crm.recentSameProblem(effect.patientId, effect.pathwayId, 72)
            : undefined;
          return recent ? { type: 'crm.repeat', when: spokenDay(recent.at, now) } : undefined;
        }
        case 'record-interaction':
          return undefined;
      }
    } catch (err) {
      this.#deps.logger.warn(
        { effect: effect.kind, err: err instanceof Error ? { message: err.message } : String(err) },
        'CRM unavailable; carrying on without it',
      );
      return effect.kind === 'identify-nhs' ? { type: 'crm.unavailable' } : undefined;
    }
  }

  /** What the conversation needs to know of an identified patient; their consent is recorded. */
  async #summarise(patient: PatientProfile, now: Date): Promise<PatientSummary> {
    const crm = this.#deps.crm;
    if (!crm) {
      throw new AppError('internal', 'no CRM');
    }
    await crm.setConsent(patient.id, true);
    const [last] = await crm.history(patient.id, 1);
    const recent =
      last?.pathway !== undefined &&
      now.getTime() - new Date(last.at).getTime() < RECENT_PROBLEM_DAYS * 86_400_000;
    return {
      id: patient.id,
      age: patient.dateOfBirth ? ageInYears(patient.dateOfBirth, now) : undefined,
      sex: patient.sex,
      fastTrack: patient.flags.fastTrack,
      last:
        recent && last.pathway
          ? { pathwayId: last.pathway.id, title: last.pathway.title, when: spokenDay(last.at, now) }
          : undefined,
    };
  }

  async #record(effect: Effect, record: ConversationRecord, at: string): Promise<void> {
    if (effect.kind !== 'record-interaction' || !this.#deps.crm) {
      return;
    }
    try {
      await this.#deps.crm.recordInteraction(effect.patientId, {
        at,
        channel: record.channel,
        conversationId: record.id,
        ...(effect.pathway ? { pathway: effect.pathway } : {}),
        answersSummary: effect.answersSummary,
        disposition: effect.disposition,
      });
    } catch (err) {
      this.#deps.logger.warn(
        { err: err instanceof Error ? { message: err.message } : String(err) },
        'could not record the interaction in the CRM',
      );
    }
  }

  async #run(
    record: ConversationRecord,
    rev: number,
    event: ConversationEvent,
    msg?: InboundMessage,
    extra: { facts?: PatientFacts; phone?: string; returning?: boolean } = {},
  ): Promise<TurnResult | 'conflict' | 'unrestorable'> {
    const { machine } = this.#deps;
    // Collected by the error observer; a list because TypeScript cannot see the callback assign.
    const failures: unknown[] = [];
    const actor = createActor(machine, {
      input: { channel: record.channel, ...extra },
      ...(record.snapshot === undefined ? {} : { snapshot: record.snapshot as Snapshot }),
    });
    // Without an error observer a bad snapshot is rethrown asynchronously and kills the process.
    actor.subscribe({ error: (err: unknown) => failures.push(err) });
    actor.start();
    if (actor.getSnapshot().status === 'error' || failures.length > 0) {
      actor.stop();
      return 'unrestorable';
    }
    actor.send(event);
    const deferred: Effect[] = [];
    let handled = 0;
    for (let round = 0; round < MAX_EFFECT_ROUNDS; round++) {
      const pending = actor.getSnapshot().context.effects.slice(handled);
      if (pending.length === 0) {
        break;
      }
      handled += pending.length;
      for (const effect of pending) {
        if (effect.kind === 'record-interaction') {
          deferred.push(effect); // written only once the turn is saved, so a retry never doubles it
          continue;
        }
        const result = await this.#perform(effect);
        if (result) {
          actor.send(result);
        }
      }
    }
    const snapshot = actor.getSnapshot();
    if (snapshot.status === 'error' || failures.length > 0) {
      actor.stop();
      const [first] = failures;
      throw first instanceof Error
        ? first
        : new AppError('internal', 'the conversation machine failed');
    }
    const persisted = actor.getPersistedSnapshot() as unknown as {
      context: { replies: Reply[]; effects: Effect[] };
    };
    actor.stop();
    const replies = snapshot.context.replies;
    persisted.context.replies = [];
    persisted.context.effects = [];

    const now = this.#clock.now().toISOString();
    const pathway = snapshot.context.pathway?.ref;
    if (pathway && record.pathway?.hash !== pathway.hash) {
      await this.#deps.store.archivePathway(pathway, this.#deps.library.definition(pathway));
    }
    const said: TranscriptEntry[] = [
      ...(msg && (msg.text || msg.optionId)
        ? [{ from: 'patient' as const, text: msg.text ?? msg.optionId ?? '', at: now }]
        : []),
      ...replies.map((r) => ({ from: 'service' as const, text: r.text, at: now })),
    ];
    const status = statusOf(snapshot);
    const disposition = snapshot.context.floor;
    const next: ConversationRecord = {
      ...record,
      updatedAt: now,
      status,
      snapshot: persisted,
      transcript: [...record.transcript, ...said].slice(-MAX_TRANSCRIPT),
      ...(pathway ? { pathway } : {}),
      ...(disposition ? { disposition } : {}),
      ...(snapshot.context.patient ? { patientId: snapshot.context.patient.id } : {}),
    };
    delete next.pendingSpeech;
    if (!pathway) {
      delete next.pathway;
    }
    const saved = await this.#deps.store.save(
      next,
      rev,
      msg?.idempotencyKey ? { key: msg.idempotencyKey, replies } : undefined,
    );
    if (!saved.ok) {
      return 'conflict';
    }
    for (const effect of deferred) {
      await this.#record(effect, record, now);
    }
    if (disposition && disposition !== record.disposition) {
      this.#deps.observer?.disposition({
        code: disposition,
        category: this.#deps.categoryOf?.(disposition) ?? 'unknown',
      });
    }
    return { conversationId: record.id, replies, status, ended: status === 'ended' };
  }
}
