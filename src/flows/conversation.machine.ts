import { and, assign, raise, setup } from 'xstate';
import {
  applies,
  applyAnswer,
  currentNode,
  interpretAnswer,
  outcomeOf,
  parseChoice,
  parseNumber,
  parseYesNo,
  startPathway,
  type CheckedPathway,
  type ComplaintIndex,
  type DispositionScale,
  type PathwayEvent,
  type PathwayOutcome,
  type PathwaySnapshot,
  type QuestionNode,
  type RedFlagHit,
} from '../triage/index.js';
import { normaliseNhsNumber } from '../crm/index.js';
import type { Command } from './commands.js';
import { parseDateOfBirth } from './dates.js';
import type { Effect, EffectResultEvent, PatientSummary } from './effects.js';
import type { Channel, Reply } from './contracts.js';
import type { PathwayRef } from './pathway-library.js';
import {
  emergencyReply,
  outcomeReplies,
  pathwayQuestion,
  question,
  statement,
  yesNo,
} from './replies.js';

/**
 * The conversation, as an XState v5 machine: consent, who it is for, the problem in the
 * patient's words, the pathway, the outcome. Red flags and commands (back, restart, help, stop)
 * are handled at the root so they work from every state.
 *
 * The machine is pure. Pathway progress is kept as the list of answer events and replayed
 * through the pinned compiled pathway, so "back" is dropping the last event and a snapshot stays
 * small. Replies of a turn collect in `context.replies`; the engine takes them out and clears
 * them before saving.
 */

export const CONVERSATION_MACHINE_VERSION = 3;

/** How many recent pathway replays a process keeps (a few per conversation in flight). */
const RECENT_REPLAYS = 5000;

export interface PathwayResolver {
  /** The newest version of a pathway, and the reference that pins it. */
  latest(id: string): { checked: CheckedPathway; ref: PathwayRef } | undefined;
  /** Exactly the pathway a conversation started with. */
  pinned(ref: PathwayRef): CheckedPathway | undefined;
}

export interface ConversationDeps {
  scale: DispositionScale;
  complaints: ComplaintIndex;
  pathways: PathwayResolver;
  /** The pathway for problems no other pathway matches; its floor is a clinician call-back. */
  generalPathwayId: string;
}

export interface Candidate {
  pathway: string;
  title: string;
}

export interface PatientFacts {
  age?: number | undefined;
  sex?: 'female' | 'male' | undefined;
}

export interface ConversationContext {
  channel: Channel;
  /** The phone number the patient writes or calls from, on channels that know it. */
  phone?: string | undefined;
  consent?: boolean | undefined;
  forWhom?: 'self' | 'other' | undefined;
  facts: PatientFacts;
  complaint?: { text: string; candidates: Candidate[]; attempts: number } | undefined;
  /** The pathway chosen but not yet started (age or sex may still be needed). */
  selected?: string | undefined;
  pathway?: { ref: PathwayRef; events: PathwayEvent[] } | undefined;
  /** The most urgent disposition shown so far: urgency never drops within a conversation. */
  floor?: string | undefined;
  outcome?: { disposition: string; reasons: string[]; pathway?: string | undefined } | undefined;
  heldRedFlag?: RedFlagHit | undefined;
  /** The patient, once identified through the CRM (only with consent). */
  patient?: PatientSummary | undefined;
  /** An NHS number held between asking for it and for the date of birth; then dropped. */
  heldNhsNumber?: string | undefined;
  /** Why urgency is raised one step at the outcome: a repeat contact or a fast-track flag. */
  escalation?: string | undefined;
  replies: Reply[];
  /** Work for the engine this turn (CRM calls); taken out and cleared like replies. */
  effects: Effect[];
}

export type ConversationEvent =
  | { type: 'conversation.start' }
  | { type: 'user.message'; text: string; optionId?: string | undefined }
  | { type: 'user.command'; command: Command }
  | { type: 'user.redflag'; hit: RedFlagHit }
  /** The patient is back (another channel, or after a misheard answer): ask where we were. */
  | { type: 'conversation.resumed' }
  | EffectResultEvent;

export interface ConversationInput {
  channel: Channel;
  facts?: PatientFacts;
  phone?: string;
  /** Say "welcome back" first: the patient has used the service from this number before. */
  returning?: boolean;
}

const WELCOME =
  "Welcome. I'll ask you some questions about your symptoms and then tell you what to do next and how soon. This service is not for emergencies: if someone's life is at risk, call 999 now.";
const CONSENT =
  'Can we keep a record of this conversation, so you do not have to repeat yourself if you contact us again? If you say no, we keep nothing once this conversation expires.';
const WHO = 'Is this about you, or about someone else?';
const COMPLAINT = 'In a few words, what is the main problem today?';
const IDENTIFY =
  'If you would like us to recognise you next time, type your 10-digit NHS number (it is on prescriptions and in the NHS App). Or choose skip.';
const DATE_OF_BIRTH = 'What is your date of birth? For example 14 3 1985.';
const FINISHED =
  'This conversation has finished. Type "restart" to start a new one. If you are worried, call 111, or 999 in an emergency.';

function messageText(event: ConversationEvent): string {
  if (event.type !== 'user.message') {
    return '';
  }
  return event.optionId ?? event.text;
}

function say(context: ConversationContext, ...replies: Reply[]): Reply[] {
  return [...context.replies, ...replies];
}

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the machine type is inferred from setup(); spelling out XState's generics would only duplicate them
export function createConversationMachine(deps: ConversationDeps) {
  const { scale, complaints, pathways } = deps;

  /**
   * The pathway in progress, replayed to its current state. Guards and actions of one turn ask
   * for it several times, and each turn adds one answer to the last turn's list, so replays are
   * remembered: per answer list within a turn, and by pathway and answers across turns (the
   * previous turn's replay is then one transition away). A process that has not seen the
   * conversation before simply replays it in full.
   */
  const replays = new WeakMap<
    PathwayEvent[],
    { checked: CheckedPathway; snapshot: PathwaySnapshot }
  >();
  const recent = new Map<string, PathwaySnapshot>();
  const remember = (key: string, snapshot: PathwaySnapshot): void => {
    if (recent.size >= RECENT_REPLAYS) {
      recent.clear();
    }
    recent.set(key, snapshot);
  };
  const replay = (
    context: ConversationContext,
  ): { checked: CheckedPathway; snapshot: PathwaySnapshot } | undefined => {
    if (!context.pathway) {
      return undefined;
    }
    const { ref, events } = context.pathway;
    const known = replays.get(events);
    if (known) {
      return known;
    }
    const checked = pathways.pinned(ref);
    if (!checked) {
      throw new Error(`pinned pathway ${ref.id}@${ref.version} is not available`);
    }
    const keyOf = (n: number) => `${ref.hash}|${JSON.stringify(events.slice(0, n))}`;
    const key = keyOf(events.length);
    let snapshot = recent.get(key);
    if (!snapshot) {
      const previous = events.length > 0 ? recent.get(keyOf(events.length - 1)) : undefined;
      const last = events[events.length - 1];
      snapshot =
        previous && last
          ? applyAnswer(checked.machine, previous, last)
          : events.reduce(
              (s, e) => applyAnswer(checked.machine, s, e),
              startPathway(checked.machine),
            );
      remember(key, snapshot);
    }
    const result = { checked, snapshot };
    replays.set(events, result);
    return result;
  };

  const currentQuestion = (context: ConversationContext): QuestionNode | undefined => {
    const state = replay(context);
    const id = state && currentNode(state.snapshot);
    const node = id === undefined ? undefined : state?.checked.pathway.nodes[id];
    return node && node.type !== 'outcome' ? node : undefined;
  };

  const answerOf = (context: ConversationContext, event: ConversationEvent) => {
    const node = currentQuestion(context);
    return node ? interpretAnswer(node, messageText(event)) : undefined;
  };

  const complaintOf = (event: ConversationEvent, facts: PatientFacts) =>
    complaints.match(messageText(event), { age: facts.age, sex: facts.sex });

  const selectedPathway = (context: ConversationContext) =>
    context.selected === undefined ? undefined : pathways.latest(context.selected);

  const candidateChoice = (
    context: ConversationContext,
    event: ConversationEvent,
  ): string | undefined => {
    const candidates = context.complaint?.candidates ?? [];
    const options = [
      ...candidates.map((c) => ({ id: c.pathway, label: c.title, synonyms: [], next: '' })),
      { id: 'none', label: 'None of these', synonyms: ['something else', 'other'], next: '' },
    ];
    const chosen = parseChoice(messageText(event), { options });
    return chosen === 'unsure' ? 'none' : chosen;
  };

  return setup({
    types: {
      context: {} as ConversationContext,
      events: {} as ConversationEvent,
      input: {} as ConversationInput,
    },
    guards: {
      saidYes: ({ event }) => parseYesNo(messageText(event)) === 'yes',
      saidNo: ({ event }) => parseYesNo(messageText(event)) === 'no',
      saidNoOrUnsure: ({ event }) => {
        const a = parseYesNo(messageText(event));
        return a === 'no' || a === 'unsure';
      },
      isSelf: ({ event }) =>
        parseChoice(messageText(event), { options: WHO_OPTIONS_FOR_PARSE }) === 'self',
      isOther: ({ event }) =>
        parseChoice(messageText(event), { options: WHO_OPTIONS_FOR_PARSE }) === 'other',
      complaintMatched: ({ context, event }) => complaintOf(event, context.facts).kind === 'match',
      complaintAmbiguous: ({ context, event }) =>
        complaintOf(event, context.facts).kind === 'ambiguous',
      triedBefore: ({ context }) => (context.complaint?.attempts ?? 0) >= 1,
      choseCandidate: ({ context, event }) => {
        const chosen = candidateChoice(context, event);
        return chosen !== undefined && chosen !== 'none';
      },
      choseNone: ({ context, event }) => candidateChoice(context, event) === 'none',
      needsAge: ({ context }) => {
        const p = selectedPathway(context)?.checked.pathway;
        return context.facts.age === undefined && p?.applies.age !== undefined;
      },
      needsSex: ({ context }) => {
        const p = selectedPathway(context)?.checked.pathway;
        return context.facts.sex === undefined && p?.applies.sex !== undefined;
      },
      notApplicable: ({ context }) => {
        const p = selectedPathway(context)?.checked.pathway;
        return p === undefined || !applies(p.applies, context.facts);
      },
      ageGiven: ({ event }) =>
        parseNumber(messageText(event), { unit: 'years', valid: { min: 0, max: 120 } }).ok,
      sexGiven: ({ event }) => {
        const chosen = parseChoice(messageText(event), { options: SEX_OPTIONS_FOR_PARSE });
        return chosen === 'female' || chosen === 'male';
      },
      answerUnderstood: ({ context, event }) => answerOf(context, event)?.ok === true,
      pathwayDone: ({ context }) => {
        const state = replay(context);
        return state !== undefined && state.snapshot.status === 'done';
      },
      canPrefillAge: ({ context }) => {
        const node = currentQuestion(context);
        return node?.type === 'number' && node.profile === 'age' && context.facts.age !== undefined;
      },
      canPrefillSex: ({ context }) => {
        const node = currentQuestion(context);
        return node?.type === 'choice' && node.profile === 'sex' && context.facts.sex !== undefined;
      },
      isBack: ({ event }) => event.type === 'user.command' && event.command === 'back',
      isRestart: ({ event }) => event.type === 'user.command' && event.command === 'restart',
      isHelp: ({ event }) => event.type === 'user.command' && event.command === 'help',
      isStop: ({ event }) => event.type === 'user.command' && event.command === 'stop',
      hasAnswers: ({ context }) => (context.pathway?.events.length ?? 0) > 0,
      isHistorical: ({ event }) => event.type === 'user.redflag' && event.hit.historical,
      consented: ({ context }) => context.consent === true,
      hasPhone: ({ context }) => context.phone !== undefined,
      isSkip: ({ event }) =>
        /^(skip|no|no thanks|not now|rather not|i do not know|do not know|dont know|unsure)$/.test(
          messageText(event).trim().toLowerCase().replace(/[.!']/g, ''),
        ),
      validNhsNumber: ({ event }) => normaliseNhsNumber(messageText(event)) !== undefined,
      looksLikeNhsNumber: ({ event }) => /\d{3}/.test(messageText(event)),
      validDateOfBirth: ({ event }) => parseDateOfBirth(messageText(event)) !== undefined,
      hasRecentProblem: ({ event }) =>
        event.type === 'crm.identified' && event.patient.last !== undefined,
    },
    actions: {
      welcome: assign({ replies: ({ context }) => say(context, statement(WELCOME)) }),
      askConsent: assign({ replies: ({ context }) => say(context, yesNo(CONSENT)) }),
      setConsent: assign({ consent: (_, params: { keep: boolean }) => params.keep }),
      askWho: assign({
        replies: ({ context }) => say(context, question(WHO, 'choice', WHO_OPTIONS)),
      }),
      setWho: assign({ forWhom: (_, params: { who: 'self' | 'other' }) => params.who }),
      askComplaint: assign({ replies: ({ context }) => say(context, question(COMPLAINT, 'text')) }),
      rememberComplaint: assign({
        complaint: ({ context, event }) => {
          const result = complaintOf(event, context.facts);
          const candidates =
            result.kind === 'match'
              ? [{ pathway: result.pathway, title: result.title }]
              : result.kind === 'ambiguous'
                ? result.candidates.map((c) => ({ pathway: c.pathway, title: c.title }))
                : [];
          return {
            text: messageText(event),
            candidates,
            attempts: (context.complaint?.attempts ?? 0) + 1,
          };
        },
      }),
      askConfirmComplaint: assign({
        replies: ({ context }) => {
          const title = context.complaint?.candidates[0]?.title ?? '';
          return say(context, yesNo(`It sounds like this is about: ${title}. Is that right?`));
        },
      }),
      askChooseComplaint: assign({
        replies: ({ context }) =>
          say(
            context,
            question('Which of these is closest to the main problem?', 'choice', [
              ...(context.complaint?.candidates ?? []).map((c) => ({
                id: c.pathway,
                label: c.title,
              })),
              { id: 'none', label: 'None of these' },
            ]),
          ),
      }),
      sayTryAgain: assign({
        replies: ({ context }) => say(context, statement("OK, let's try again.")),
      }),
      askComplaintAgain: assign({
        replies: ({ context }) =>
          say(
            context,
            question(
              "Sorry, I didn't recognise that. Could you describe the main symptom in a few words, for example 'sore throat' or 'pain in my tummy'?",
              'text',
            ),
          ),
      }),
      selectFirstCandidate: assign({
        selected: ({ context }) => context.complaint?.candidates[0]?.pathway,
      }),
      selectChosen: assign({ selected: ({ context, event }) => candidateChoice(context, event) }),
      selectGeneral: assign({ selected: () => deps.generalPathwayId }),
      /** The chosen pathway does not fit this patient's age or sex: find one that does, or the general one. */
      reselect: assign({
        selected: ({ context }) => {
          const text = context.complaint?.text ?? '';
          const again = complaints.match(text, { age: context.facts.age, sex: context.facts.sex });
          return again.kind === 'match' ? again.pathway : deps.generalPathwayId;
        },
        replies: ({ context }) =>
          say(
            context,
            statement(
              'That set of questions is not the right one for this age, so I will use another.',
            ),
          ),
      }),
      askAge: assign({
        replies: ({ context }) =>
          say(
            context,
            question(
              context.forWhom === 'other'
                ? 'How old are they? (for a baby, say how many months)'
                : 'How old are you?',
              'number',
            ),
          ),
      }),
      setAge: assign({
        facts: ({ context, event }) => {
          const parsed = parseNumber(messageText(event), {
            unit: 'years',
            valid: { min: 0, max: 120 },
          });
          return parsed.ok ? { ...context.facts, age: parsed.value } : context.facts;
        },
      }),
      ageHint: assign({
        replies: ({ context }) =>
          say(
            context,
            statement('Please give the age as a number, for example 34, or 8 months for a baby.'),
          ),
      }),
      askSex: assign({
        replies: ({ context }) =>
          say(
            context,
            question(
              'This set of questions depends on sex at birth. Was that female or male?',
              'choice',
              SEX_OPTIONS,
            ),
          ),
      }),
      setSex: assign({
        facts: ({ context, event }) => {
          const chosen = parseChoice(messageText(event), { options: SEX_OPTIONS_FOR_PARSE });
          return chosen === 'female' || chosen === 'male'
            ? { ...context.facts, sex: chosen }
            : context.facts;
        },
      }),
      startPathway: assign({
        pathway: ({ context }) => {
          const found = selectedPathway(context);
          if (!found) {
            throw new Error(`pathway ${context.selected ?? '?'} is not loaded`);
          }
          return { ref: found.ref, events: [] };
        },
      }),
      prefillAge: assign({
        pathway: ({ context }) =>
          context.pathway && context.facts.age !== undefined
            ? {
                ...context.pathway,
                events: [
                  ...context.pathway.events,
                  {
                    type: 'answer.number',
                    value: context.facts.age,
                    shown: `${context.facts.age} years`,
                  },
                ],
              }
            : context.pathway,
      }),
      prefillSex: assign({
        pathway: ({ context }) =>
          context.pathway && context.facts.sex !== undefined
            ? {
                ...context.pathway,
                events: [
                  ...context.pathway.events,
                  { type: 'answer.option', option: context.facts.sex },
                ],
              }
            : context.pathway,
      }),
      askQuestion: assign({
        replies: ({ context }) => {
          const node = currentQuestion(context);
          return node ? say(context, pathwayQuestion(node)) : context.replies;
        },
      }),
      recordAnswer: assign({
        pathway: ({ context, event }) => {
          const answer = answerOf(context, event);
          if (!context.pathway || !answer?.ok) {
            return context.pathway;
          }
          return { ...context.pathway, events: [...context.pathway.events, answer.event] };
        },
      }),
      answerHint: assign({
        replies: ({ context, event }) => {
          const answer = answerOf(context, event);
          const hint = answer && !answer.ok ? answer.hint : "Sorry, I didn't understand that.";
          return say(context, statement(hint));
        },
      }),
      finishPathway: assign(({ context }) => {
        const state = replay(context);
        const outcome: PathwayOutcome | undefined = state && outcomeOf(state.snapshot);
        if (!state || !outcome) {
          throw new Error('finishPathway reached without an outcome');
        }
        const floor = context.floor;
        let code =
          floor === undefined ? outcome.disposition : scale.raiseOnly(floor, outcome.disposition);
        const reasons =
          code === outcome.disposition
            ? [...outcome.reasons]
            : [
                ...outcome.reasons,
                'Earlier in this conversation you told us something more urgent, so that advice still stands.',
              ];
        // A repeat contact or a fast-track flag raises urgency one step; it never lowers it.
        const up = context.escalation === undefined ? undefined : scale.escalate(code);
        if (context.escalation !== undefined && up !== undefined) {
          code = scale.raiseOnly(code, up);
          reasons.push(context.escalation);
        }
        const d = scale.get(code);
        const effects: Effect[] = context.patient
          ? [
              ...context.effects,
              {
                kind: 'record-interaction',
                patientId: context.patient.id,
                pathway: {
                  id: outcome.pathway.id,
                  version: outcome.pathway.version,
                  title: state.checked.pathway.title,
                },
                answersSummary: outcome.answers.map(
                  (a) => `${a.question.slice(0, 90)} ${a.answer}`,
                ),
                disposition: { code, category: d.category, label: d.label },
              },
            ]
          : context.effects;
        return {
          floor: code,
          outcome: {
            disposition: code,
            reasons,
            pathway: `${outcome.pathway.id}@${outcome.pathway.version}`,
          },
          effects,
          replies: say(
            context,
            ...outcomeReplies(
              scale,
              code,
              reasons,
              code === outcome.disposition ? outcome.advice : undefined,
              outcome.safetyNet,
            ),
          ),
        };
      }),
      dropLastAnswer: assign({
        pathway: ({ context }) =>
          context.pathway
            ? { ...context.pathway, events: context.pathway.events.slice(0, -1) }
            : context.pathway,
        replies: ({ context }) =>
          say(context, statement("OK, let's go back to the last question.")),
      }),
      sayNothingToUndo: assign({
        replies: ({ context }) =>
          say(context, statement('There is no earlier answer to change here.')),
      }),
      sayHelp: assign({
        replies: ({ context }) => {
          const node = context.pathway ? currentQuestion(context) : undefined;
          const help =
            node?.help ??
            'Answer in your own words, or choose one of the options. You can type "back" to change your last answer, "restart" to start again, or "stop" to end. If you are not sure, say "I don\'t know".';
          return say(context, statement(help));
        },
      }),
      resetTriage: assign({
        complaint: undefined,
        selected: undefined,
        pathway: undefined,
        outcome: undefined,
        heldRedFlag: undefined,
        floor: undefined,
        replies: ({ context }) => say(context, statement("OK, let's start again.")),
      }),
      sayGoodbye: assign({
        replies: ({ context }) =>
          say(
            context,
            statement(
              'Thank you. This conversation has ended. If you are worried, call 111, or 999 in an emergency.',
            ),
          ),
      }),
      sayFinished: assign({ replies: ({ context }) => say(context, statement(FINISHED)) }),
      raiseEmergency: assign(({ context, event }) => {
        const hit = event.type === 'user.redflag' ? event.hit : context.heldRedFlag;
        if (!hit) {
          return {};
        }
        const floor =
          context.floor === undefined
            ? hit.disposition
            : scale.raiseOnly(context.floor, hit.disposition);
        const d = scale.get(hit.disposition);
        const effects: Effect[] = context.patient
          ? [
              ...context.effects,
              {
                kind: 'record-interaction',
                patientId: context.patient.id,
                answersSummary: [`Red flag: ${hit.title}`],
                disposition: { code: d.code, category: d.category, label: d.label },
              },
            ]
          : context.effects;
        return {
          floor,
          heldRedFlag: undefined,
          effects,
          outcome: {
            disposition: hit.disposition,
            reasons: [`You told us about: ${hit.title.toLowerCase()}.`],
          },
          replies: say(context, emergencyReply(scale, hit.disposition, hit.title, hit.advice)),
        };
      }),
      repeatEmergency: assign({
        replies: ({ context }) => {
          const code = context.floor ?? 'CALL_999';
          const d = scale.get(code);
          return say(
            context,
            statement(
              `${d.label}. If you have not done so yet, please do it now. If things change, type what is happening.`,
            ),
          );
        },
      }),
      holdRedFlag: assign({
        heldRedFlag: ({ event }) => (event.type === 'user.redflag' ? event.hit : undefined),
        replies: ({ context, event }) =>
          event.type === 'user.redflag'
            ? say(
                context,
                yesNo(
                  `You mentioned "${event.hit.matched}". Is this happening now, or has it happened in the last few days?`,
                ),
              )
            : context.replies,
      }),
      dropHeldRedFlag: assign({ heldRedFlag: undefined }),
      passMessageOn: raise(({ event }) => event),
      requestIdentifyByPhone: assign({
        effects: ({ context }) =>
          context.phone
            ? [...context.effects, { kind: 'identify-phone' as const, phone: context.phone }]
            : context.effects,
      }),
      sayResumed: assign({
        replies: ({ context }) => say(context, statement("Let's carry on where we were.")),
      }),
      askIdentify: assign({
        replies: ({ context }) =>
          say(context, question(IDENTIFY, 'text', [{ id: 'skip', label: 'Skip' }])),
      }),
      nhsNumberHint: assign({
        replies: ({ context }) =>
          say(
            context,
            statement(
              "That doesn't look like a valid NHS number: it has 10 digits, like 943 476 5919. Please check it, or choose skip.",
            ),
          ),
      }),
      holdNhsNumber: assign({
        heldNhsNumber: ({ event }) => normaliseNhsNumber(messageText(event)),
      }),
      askDateOfBirth: assign({
        replies: ({ context }) => say(context, question(DATE_OF_BIRTH, 'text')),
      }),
      dateOfBirthHint: assign({
        replies: ({ context }) =>
          say(
            context,
            statement('Please give the date as day, month and year, for example 14 3 1985.'),
          ),
      }),
      requestIdentify: assign({
        effects: ({ context, event }) => {
          const dateOfBirth = parseDateOfBirth(messageText(event));
          return context.heldNhsNumber && dateOfBirth
            ? [
                ...context.effects,
                { kind: 'identify-nhs' as const, nhsNumber: context.heldNhsNumber, dateOfBirth },
              ]
            : context.effects;
        },
        heldNhsNumber: undefined,
      }),
      rememberPatient: assign(({ context, event }) => {
        if (event.type !== 'crm.identified') {
          return {};
        }
        const { patient } = event;
        return {
          patient,
          facts: { age: context.facts.age ?? patient.age, sex: context.facts.sex ?? patient.sex },
          ...(patient.fastTrack
            ? {
                escalation:
                  'Your record says you should be seen sooner, so we have raised the urgency.',
              }
            : {}),
          replies: say(context, statement('Thank you, we have found your record.')),
        };
      }),
      sayNotIdentified: assign({
        replies: ({ context }) =>
          say(
            context,
            statement(
              "We couldn't match those details, so we will carry on without them. It does not change the advice.",
            ),
          ),
      }),
      sayCrmUnavailable: assign({
        replies: ({ context }) =>
          say(
            context,
            statement("We can't look up records just now, so we will carry on without them."),
          ),
      }),
      askSameProblem: assign({
        replies: ({ context }) => {
          const last = context.patient?.last;
          return last
            ? say(
                context,
                yesNo(
                  `Welcome back. Last time, ${last.when}, you told us about: ${last.title}. Is this about the same problem?`,
                ),
              )
            : context.replies;
        },
      }),
      selectLastProblem: assign({ selected: ({ context }) => context.patient?.last?.pathwayId }),
      requestRepeatCheck: assign({
        effects: ({ context }) =>
          context.patient && context.pathway
            ? [
                ...context.effects,
                {
                  kind: 'check-repeat' as const,
                  patientId: context.patient.id,
                  pathwayId: context.pathway.ref.id,
                },
              ]
            : context.effects,
      }),
      noteRepeat: assign({
        escalation: ({ context, event }) =>
          event.type === 'crm.repeat'
            ? `You contacted us about the same problem ${event.when}, so we have raised the urgency.`
            : context.escalation,
      }),
    },
  }).createMachine({
    id: 'conversation',
    context: ({ input }) => ({
      channel: input.channel,
      facts: input.facts ?? {},
      replies: input.returning ? [statement('Welcome back.')] : [],
      effects: [],
      ...(input.phone ? { phone: input.phone } : {}),
    }),
    initial: 'starting',
    on: {
      'crm.repeat': { actions: 'noteRepeat' },
      'user.redflag': [
        { guard: 'isHistorical', target: '.confirmingRedFlag', actions: 'holdRedFlag' },
        { target: '.emergency', actions: 'raiseEmergency' },
      ],
      'user.command': [
        { guard: 'isRestart', target: '.triage.complaint', actions: 'resetTriage' },
        { guard: 'isStop', target: '.ended', actions: 'sayGoodbye' },
        { guard: 'isHelp', actions: 'sayHelp' },
        { actions: 'sayNothingToUndo' },
      ],
    },
    states: {
      starting: {
        on: { 'conversation.start': { target: 'triage', actions: 'welcome' } },
      },
      triage: {
        initial: 'consent',
        // Re-entering records the current step in the history state and returns to it, so its
        // entry action asks its question again.
        on: {
          'conversation.resumed': { target: '.history', reenter: true, actions: 'sayResumed' },
        },
        states: {
          consent: {
            entry: 'askConsent',
            on: {
              'user.message': [
                {
                  guard: 'saidYes',
                  target: 'who',
                  actions: [{ type: 'setConsent', params: { keep: true } }],
                },
                {
                  guard: 'saidNo',
                  target: 'who',
                  actions: [{ type: 'setConsent', params: { keep: false } }],
                },
                { actions: 'askConsent' },
              ],
            },
          },
          who: {
            entry: 'askWho',
            on: {
              'user.message': [
                {
                  guard: and(['isSelf', 'consented', 'hasPhone']),
                  target: 'identifying',
                  actions: [{ type: 'setWho', params: { who: 'self' } }, 'requestIdentifyByPhone'],
                },
                {
                  guard: and(['isSelf', 'consented']),
                  target: 'identify',
                  actions: { type: 'setWho', params: { who: 'self' } },
                },
                {
                  guard: 'isSelf',
                  target: 'complaint',
                  actions: { type: 'setWho', params: { who: 'self' } },
                },
                {
                  guard: 'isOther',
                  target: 'complaint',
                  actions: { type: 'setWho', params: { who: 'other' } },
                },
                { actions: 'askWho' },
              ],
            },
          },
          identify: {
            entry: 'askIdentify',
            on: {
              'user.message': [
                { guard: 'isSkip', target: 'complaint' },
                { guard: 'validNhsNumber', target: 'dateOfBirth', actions: 'holdNhsNumber' },
                { guard: 'looksLikeNhsNumber', actions: 'nhsNumberHint' },
                // Not a number at all: they have started describing the problem. Move on and
                // hand the same message to the complaint step, so nothing they wrote is lost.
                { target: 'complaint', actions: 'passMessageOn' },
              ],
            },
          },
          dateOfBirth: {
            entry: 'askDateOfBirth',
            on: {
              'user.message': [
                { guard: 'validDateOfBirth', target: 'identifying', actions: 'requestIdentify' },
                { guard: 'isSkip', target: 'complaint' },
                { actions: 'dateOfBirthHint' },
              ],
            },
          },
          identifying: {
            on: {
              'crm.identified': [
                { guard: 'hasRecentProblem', target: 'sameProblem', actions: 'rememberPatient' },
                { target: 'complaint', actions: 'rememberPatient' },
              ],
              'crm.not-identified': { target: 'complaint', actions: 'sayNotIdentified' },
              'crm.unavailable': { target: 'complaint', actions: 'sayCrmUnavailable' },
              'user.message': { target: 'complaint' },
            },
          },
          sameProblem: {
            entry: 'askSameProblem',
            on: {
              'user.message': [
                { guard: 'saidYes', target: 'preparing', actions: 'selectLastProblem' },
                { target: 'complaint' },
              ],
            },
          },
          complaint: {
            entry: 'askComplaint',
            on: {
              'user.message': [
                {
                  guard: 'complaintMatched',
                  target: 'confirmComplaint',
                  actions: 'rememberComplaint',
                },
                {
                  guard: 'complaintAmbiguous',
                  target: 'chooseComplaint',
                  actions: 'rememberComplaint',
                },
                {
                  guard: 'triedBefore',
                  target: 'preparing',
                  actions: ['rememberComplaint', 'selectGeneral'],
                },
                { actions: ['rememberComplaint', 'askComplaintAgain'] },
              ],
            },
          },
          confirmComplaint: {
            entry: 'askConfirmComplaint',
            on: {
              'user.message': [
                { guard: 'saidYes', target: 'preparing', actions: 'selectFirstCandidate' },
                { guard: 'triedBefore', target: 'preparing', actions: 'selectGeneral' },
                { guard: 'saidNoOrUnsure', target: 'complaint', actions: 'sayTryAgain' },
                { actions: 'askConfirmComplaint' },
              ],
            },
          },
          chooseComplaint: {
            entry: 'askChooseComplaint',
            on: {
              'user.message': [
                { guard: 'choseCandidate', target: 'preparing', actions: 'selectChosen' },
                { guard: 'choseNone', target: 'preparing', actions: 'selectGeneral' },
                { actions: 'askChooseComplaint' },
              ],
            },
          },
          preparing: {
            always: [
              { guard: 'needsAge', target: 'age' },
              { guard: 'needsSex', target: 'sex' },
              { guard: 'notApplicable', target: 'preparing', reenter: true, actions: 'reselect' },
              { target: 'answered', actions: ['startPathway', 'requestRepeatCheck'] },
            ],
          },
          age: {
            entry: 'askAge',
            on: {
              'user.message': [
                { guard: 'ageGiven', target: 'preparing', actions: 'setAge' },
                { actions: ['ageHint', 'askAge'] },
              ],
            },
          },
          sex: {
            entry: 'askSex',
            on: {
              'user.message': [
                { guard: 'sexGiven', target: 'preparing', actions: 'setSex' },
                { actions: 'askSex' },
              ],
            },
          },
          answered: {
            always: [
              { guard: 'pathwayDone', target: '#conversation.outcome' },
              { guard: 'canPrefillAge', target: 'answered', reenter: true, actions: 'prefillAge' },
              { guard: 'canPrefillSex', target: 'answered', reenter: true, actions: 'prefillSex' },
              { target: 'question' },
            ],
          },
          question: {
            entry: 'askQuestion',
            on: {
              'user.message': [
                { guard: 'answerUnderstood', target: 'answered', actions: 'recordAnswer' },
                { actions: ['answerHint', 'askQuestion'] },
              ],
              'user.command': {
                guard: and(['isBack', 'hasAnswers']),
                target: 'answered',
                actions: 'dropLastAnswer',
              },
            },
          },
          history: { type: 'history' },
        },
      },
      outcome: {
        entry: 'finishPathway',
        on: {
          'conversation.resumed': { actions: 'sayFinished' },
          'user.message': { actions: 'sayFinished' },
          'user.command': {
            guard: and(['isBack', 'hasAnswers']),
            target: 'triage.answered',
            actions: 'dropLastAnswer',
          },
        },
      },
      emergency: {
        on: {
          'conversation.resumed': { actions: 'repeatEmergency' },
          'user.message': { actions: 'repeatEmergency' },
          'user.redflag': { actions: 'raiseEmergency' },
        },
      },
      confirmingRedFlag: {
        on: {
          'user.message': [
            { guard: 'saidNo', target: 'triage.history', actions: 'dropHeldRedFlag' },
            { target: 'emergency', actions: 'raiseEmergency' },
          ],
        },
      },
      ended: {
        on: {
          'user.message': { actions: 'sayFinished' },
          'conversation.resumed': { actions: 'sayFinished' },
        },
      },
    },
  });
}

export type ConversationMachine = ReturnType<typeof createConversationMachine>;

const WHO_OPTIONS = [
  { id: 'self', label: 'Me' },
  { id: 'other', label: 'Someone else' },
];
const WHO_OPTIONS_FOR_PARSE = [
  {
    id: 'self',
    label: 'Me',
    synonyms: ['myself', 'for me', 'it is me', 'i am', 'mine', 'me'],
    next: '',
  },
  {
    id: 'other',
    label: 'Someone else',
    synonyms: [
      'my child',
      'my son',
      'my daughter',
      'my baby',
      'my husband',
      'my wife',
      'my partner',
      'my mum',
      'my dad',
      'a friend',
      'someone else',
      'other',
    ],
    next: '',
  },
];
const SEX_OPTIONS = [
  { id: 'female', label: 'Female' },
  { id: 'male', label: 'Male' },
];
const SEX_OPTIONS_FOR_PARSE = [
  { id: 'female', label: 'Female', synonyms: ['woman', 'girl', 'f'], next: '' },
  { id: 'male', label: 'Male', synonyms: ['man', 'boy', 'm'], next: '' },
];
