import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config.js';
import type { ConversationEngine } from '../../flows/index.js';
import type { Logger } from '../../shared/index.js';
import { twilioWebhook } from '../twilio-signature.js';
import {
  asksForPerson,
  callerAddress,
  parseCallState,
  parseVoiceParams,
  readInput,
  wantsRepeat,
  type CallState,
  type VoiceParams,
} from './parse.js';
import {
  renderDialResult,
  renderFallback,
  renderGoodbye,
  renderHandoff,
  renderSilence,
  renderTurn,
  renderWhisper,
  VOICE_PATH,
  WHISPER_PATH,
} from './render.js';

/**
 * The voice channel over Twilio: call start and every <Gather> result arrive at POST
 * /twilio/voice; the person a call is handed to hears a summary from POST /twilio/voice/whisper.
 * It translates only: the caller's speech or keys go to the engine, the replies come back as
 * TwiML. Where the call is (turn, silences, the question being answered) travels in the action
 * URL, so any process can answer any request. Every answer is 200 TwiML, whatever happens.
 */

export interface VoiceRouterDeps {
  engine: ConversationEngine;
  twilio: Config['twilio'];
  publicBaseUrl: string;
  /** Who callers are put through to when they ask for a person; absent = send them to 111. */
  handoffNumber?: string | undefined;
  logger: Logger;
}

/** Conversation ids we issued; anything else has no summary. */
const CONVERSATION_ID = /^[A-Za-z0-9-]{1,128}$/;

export function voiceRouter(deps: VoiceRouterDeps): Router {
  const { engine, handoffNumber } = deps;
  const logger = deps.logger.child({ channel: 'voice' });
  const router = Router();
  const checked = twilioWebhook({
    authToken: deps.twilio.authToken,
    publicBaseUrl: deps.publicBaseUrl,
    validate: deps.twilio.validate,
    logger,
  });

  const handoff = (state: CallState, reason: 'asked' | 'silence'): string =>
    renderHandoff({ handoffNumber, conversationId: state.conversationId, reason });

  /** One request of a call, as TwiML. */
  async function answer(params: VoiceParams, state: CallState): Promise<string> {
    const address = callerAddress(params);
    // One key per <Gather> of the call: Twilio retrying the same request is not applied twice.
    const keyOf = (turn: number) => `${params.CallSid}:${turn}`;

    if (state.step === 'dialled') {
      return renderDialResult(params.DialCallStatus);
    }

    if (state.step === 'again') {
      if (params.Digits === '0' || asksForPerson(params.SpeechResult ?? '')) {
        return handoff(state, 'asked');
      }
      if (!wantsRepeat(params) || state.replayTurn === undefined) {
        return renderGoodbye();
      }
      // The same idempotency key answers with the very replies of that turn: the outcome.
      const turn = await engine.handleFrom({
        channel: 'voice',
        address,
        idempotencyKey: keyOf(state.replayTurn),
      });
      return renderTurn(turn.replies, {
        nextTurn: (state.turn ?? 0) + 1,
        replyTurn: state.replayTurn,
        conversationId: turn.conversationId,
        status: turn.status,
      });
    }

    if (state.turn === undefined) {
      // The call has just started: the welcome and the first question, or where we were.
      const turn = await engine.handleFrom({ channel: 'voice', address, idempotencyKey: keyOf(0) });
      return renderTurn(turn.replies, {
        nextTurn: 1,
        replyTurn: 0,
        conversationId: turn.conversationId,
        status: turn.status,
        handoffTip: handoffNumber !== undefined,
      });
    }

    const input = readInput(params, state);
    switch (input.kind) {
      case 'silence':
        return state.noInput >= 1
          ? handoff(state, 'silence')
          : renderSilence(state, state.turn + 1);
      case 'person':
        return handoff(state, 'asked');
      case 'option':
      case 'text': {
        const turn = await engine.handleFrom({
          channel: 'voice',
          address,
          idempotencyKey: keyOf(state.turn),
          ...(input.kind === 'option'
            ? { optionId: input.optionId }
            : {
                text: input.text,
                ...(input.confidence === undefined ? {} : { confidence: input.confidence }),
              }),
        });
        return renderTurn(turn.replies, {
          nextTurn: state.turn + 1,
          replyTurn: state.turn,
          conversationId: turn.conversationId,
          status: turn.status,
          previous: state,
        });
      }
    }
  }

  const send = (res: Response, twiml: string): void => {
    res.status(200).type('text/xml').send(twiml);
  };

  router.post(VOICE_PATH, ...checked, async (req: Request, res: Response) => {
    const params = parseVoiceParams(req.body);
    const state = parseCallState(req.query);
    let twiml: string;
    try {
      if (!params) {
        throw new Error('voice webhook without a CallSid');
      }
      twiml = await answer(params, state);
    } catch (err) {
      // Codes only: never what the caller said, nor their number.
      logger.error(
        {
          err: err instanceof Error ? { message: err.message, name: err.name } : String(err),
          turn: state.turn,
          step: state.step,
        },
        'voice turn failed; safe fallback spoken',
      );
      twiml = renderFallback();
    }
    send(res, twiml);
  });

  router.post(WHISPER_PATH, ...checked, async (req: Request, res: Response) => {
    const raw = req.query.conversation;
    const id = typeof raw === 'string' && CONVERSATION_ID.test(raw) ? raw : undefined;
    let summary: string | undefined;
    try {
      summary = id === undefined ? undefined : await engine.summary(id);
    } catch (err) {
      logger.warn(
        { err: err instanceof Error ? { message: err.message, name: err.name } : String(err) },
        'no summary for a handed-off call',
      );
    }
    send(res, renderWhisper(summary));
  });

  return router;
}
