import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ConversationEngine, OutboundMessenger } from '../../flows/index.js';
import { normaliseUkMobile } from './parse.js';
import { smsBodies } from './render.js';

/**
 * POST /api/conversations/:id/continue-by-sms { phone }: a web conversation carries on by text.
 * We text the patient a link back to the web, then tie their number to the conversation
 * (engine.resume with the address), so their next SMS continues it, and text them the question
 * they were on so they know what to reply to.
 *
 *   200 { sent: true }          the link went out; the number now continues this conversation
 *   400 invalid-input           no phone, or not a UK mobile
 *   404 not-found               no such conversation
 *   409 opted-out               the number said STOP
 *   502 unavailable             Twilio refused or failed
 *   503 not-configured          outbound SMS is not set up on this server
 */

export interface ContinueBySmsDeps {
  engine: ConversationEngine;
  messenger: OutboundMessenger;
  publicBaseUrl: string;
}

const Body = z.object({ phone: z.string().max(40) }).strict();

/** Conversation ids are UUIDs we issued; anything else cannot exist. */
const ID = /^[0-9a-f-]{36}$/;

export function continueText(link: string): string {
  return `To carry on your NHS 111 conversation by text, reply to this message. Or continue on the web: ${link}`;
}

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

export function continueBySmsRouter(deps: ContinueBySmsDeps): Router {
  const { engine, messenger } = deps;
  const base = deps.publicBaseUrl.replace(/\/+$/, '');
  const router = Router();

  router.post(
    '/api/conversations/:id/continue-by-sms',
    express.json({ limit: '4kb' }),
    async (req: Request<{ id: string }>, res: Response) => {
      const body = Body.safeParse(req.body ?? {});
      if (!body.success) {
        fail(res, 400, 'invalid-input', 'Send {"phone": "07700 900123"}: a UK mobile number.');
        return;
      }
      const phone = normaliseUkMobile(body.data.phone);
      if (phone === undefined) {
        fail(
          res,
          400,
          'invalid-input',
          'That is not a UK mobile number. Give a number that starts 07 or +447, for example 07700 900123.',
        );
        return;
      }
      const view = ID.test(req.params.id) ? await engine.view(req.params.id) : undefined;
      if (!view) {
        fail(res, 404, 'not-found', 'There is no conversation with that id.');
        return;
      }
      if (await engine.isSmsOptedOut(phone)) {
        fail(
          res,
          409,
          'opted-out',
          'This number has asked for no messages from us (STOP). Text START to us to allow them again.',
        );
        return;
      }
      const code = await engine.resumeCode(view.conversationId);
      if (code === undefined) {
        fail(res, 404, 'not-found', 'There is no conversation with that id.');
        return;
      }
      const link = `${base}/?resume=${encodeURIComponent(code)}`;
      const sent = await messenger.sendSms(phone, continueText(link));
      if (!sent.ok) {
        switch (sent.reason) {
          case 'not-configured':
            fail(
              res,
              503,
              'not-configured',
              'Text messages are not set up on this service, so we cannot send one. You can carry on here.',
            );
            return;
          case 'opted-out':
            fail(res, 409, 'opted-out', 'This number has asked for no messages from us (STOP).');
            return;
          case 'invalid-number':
            fail(res, 400, 'invalid-input', 'We cannot send a text message to that number.');
            return;
          case 'failed':
            fail(
              res,
              502,
              'unavailable',
              'We could not send the text message just now. Please try again, or carry on here.',
            );
            return;
        }
      }
      // Only once the text went out is the number tied to the conversation: a failed send must
      // not redirect the texts someone sends us later.
      const resumed = await engine.resume(code, 'sms', phone);
      if (resumed) {
        // Where we were ("Let's carry on...", and the question), so they know what to reply to.
        // The link already went out, so a failure here is not the request's failure.
        for (const text of smsBodies(resumed.replies)) {
          await messenger.sendSms(phone, text);
        }
      }
      res.json({ sent: true });
    },
  );

  return router;
}
