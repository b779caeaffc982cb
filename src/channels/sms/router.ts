import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config.js';
import { FALLBACK_TEXT, MAX_TEXT, type ConversationEngine } from '../../flows/index.js';
import type { Logger } from '../../shared/index.js';
import { twilioWebhook } from '../twilio-signature.js';
import { InboundSmsSchema, smsKeyword, type InboundSms } from './parse.js';
import { repliesTwiml, textTwiml } from './render.js';

/**
 * POST /twilio/sms: Twilio's inbound SMS webhook. The conversation is the sender's number; the
 * answer is always 200 TwiML (an HTTP error would make Twilio send its own message instead), and
 * any failure answers with the safe fallback text.
 *
 * Keywords are answered here (STOP, START, HELP, LINK); everything else, RESTART and BACK
 * included, goes to the engine as text. A reply that is just a number picks that option, because
 * options are numbered in the engine's order and the engine reads numbers by position (see
 * render.ts): no memory of the last question is needed here.
 */

export interface SmsRouterDeps {
  engine: ConversationEngine;
  twilio: Config['twilio'];
  publicBaseUrl: string;
  logger: Logger;
}

export const OPT_OUT_TEXT =
  'You will not get any more messages from NHS 111 by text, except replies to messages you send us. To get messages again, reply START. In an emergency, call 999.';
export const OPT_IN_TEXT =
  'You can get messages from NHS 111 by text again. Send us a message about your symptoms to carry on. Reply STOP to stop messages. In an emergency, call 999.';
export const HELP_TEXT =
  'NHS 111 by text: we ask about your symptoms, then tell you what to do and how soon. It is not for emergencies: if a life is at risk, call 999 now. Reply with your answer or the number of an option. Send BACK to change your last answer, RESTART to start again, LINK to carry on on the web, STOP to stop messages.';
const TOO_LONG_TEXT = `Your message was too long for us to read. Please send it again in fewer words (up to ${MAX_TEXT} characters). In an emergency, call 999.`;
const NO_LINK_TEXT =
  'Sorry, we could not make a link to the web just now. Reply to carry on by text. In an emergency, call 999.';

export function smsRouter(deps: SmsRouterDeps): Router {
  const { engine } = deps;
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const log = deps.logger.child({ channel: 'sms' });
  const router = Router();

  /** LINK: a resume code for the web chat, and the question the patient is on, asked again. */
  const linkReply = async (sms: InboundSms): Promise<string> => {
    // A message without text does not answer anything: the engine asks the current question
    // again, which also gives us the conversation (starting one if there is none yet).
    const turn = await engine.handleFrom({
      channel: 'sms',
      address: sms.From,
      ...(sms.MessageSid ? { idempotencyKey: sms.MessageSid } : {}),
    });
    const code = await engine.resumeCode(turn.conversationId);
    if (code === undefined) {
      return textTwiml(NO_LINK_TEXT);
    }
    const link = `${base}/?resume=${encodeURIComponent(code)}`;
    return repliesTwiml([
      {
        kind: 'statement',
        text: `To carry on on the web, open this link:\n${link}\nOr enter the code ${code}.`,
        expects: 'none',
      },
      ...turn.replies.filter((r) => r.kind === 'question' || r.kind === 'emergency'),
    ]);
  };

  const answer = async (sms: InboundSms): Promise<string> => {
    const keyword = smsKeyword(sms.Body);
    switch (keyword) {
      case 'stop': {
        const recorded = await engine.setSmsOptOut(sms.From, true);
        if (!recorded) {
          log.warn({ keyword }, 'opt-out could not be recorded for this number');
        }
        log.info({ keyword }, 'sms opt-out');
        return textTwiml(OPT_OUT_TEXT);
      }
      case 'start': {
        await engine.setSmsOptOut(sms.From, false);
        log.info({ keyword }, 'sms opt-in');
        return textTwiml(OPT_IN_TEXT);
      }
      case 'help':
        return textTwiml(HELP_TEXT);
      case 'link':
        return linkReply(sms);
      case 'restart':
      case 'back':
      case undefined:
        break;
    }
    if (sms.Body.length > MAX_TEXT) {
      return textTwiml(TOO_LONG_TEXT);
    }
    const turn = await engine.handleFrom({
      channel: 'sms',
      address: sms.From,
      text: keyword ?? sms.Body,
      ...(sms.MessageSid ? { idempotencyKey: sms.MessageSid } : {}),
    });
    return repliesTwiml(turn.replies);
  };

  router.post(
    '/twilio/sms',
    ...twilioWebhook({
      authToken: deps.twilio.authToken,
      publicBaseUrl: base,
      validate: deps.twilio.validate,
      logger: log,
    }),
    async (req: Request, res: Response) => {
      let twiml: string;
      try {
        const parsed = InboundSmsSchema.safeParse(req.body ?? {});
        if (parsed.success) {
          twiml = await answer(parsed.data);
        } else {
          log.warn({ issues: parsed.error.issues.length }, 'inbound SMS could not be read');
          twiml = textTwiml(FALLBACK_TEXT);
        }
      } catch (err) {
        log.error(
          { err: err instanceof Error ? { message: err.message } : String(err) },
          'sms turn failed; safe fallback sent',
        );
        twiml = textTwiml(FALLBACK_TEXT);
      }
      res.status(200).type('text/xml').send(twiml);
    },
  );

  return router;
}
