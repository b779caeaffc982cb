import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { MAX_TEXT, type ConversationEngine } from '../../flows/index.js';

/**
 * The web chat API of the contract: start a conversation, send a message, read it back. It only
 * translates HTTP to engine calls; every answer to bad input is a 4xx with a reason.
 */

const StartBody = z.object({ resumeCode: z.string().trim().min(1).max(32).optional() }).strict();
const MessageBody = z
  .object({
    text: z.string().optional(),
    optionId: z.string().min(1).max(100).optional(),
  })
  .strict();

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** Conversation ids are UUIDs we issued; anything else cannot exist. */
const ID = /^[0-9a-f-]{36}$/;

export function webRouter(engine: ConversationEngine): Router {
  const router = Router();
  router.use('/api/conversations', express.json({ limit: '16kb' }));

  router.post('/api/conversations', async (req: Request, res: Response) => {
    const body = StartBody.safeParse(req.body ?? {});
    if (!body.success) {
      fail(res, 400, 'invalid-input', 'The body may only hold an optional resumeCode.');
      return;
    }
    if (body.data.resumeCode !== undefined) {
      // A conversation begun by SMS or phone continues here, where it left off.
      const resumed = await engine.resume(body.data.resumeCode, 'web');
      if (!resumed) {
        fail(
          res,
          404,
          'not-found',
          'No conversation has that resume code. Codes last as long as the conversation.',
        );
        return;
      }
      res.status(201).json({ conversationId: resumed.conversationId, replies: resumed.replies });
      return;
    }
    const turn = await engine.start({ channel: 'web' });
    res.status(201).json({ conversationId: turn.conversationId, replies: turn.replies });
  });

  router.post(
    '/api/conversations/:id/messages',
    async (req: Request<{ id: string }>, res: Response) => {
      const body = MessageBody.safeParse(req.body ?? {});
      if (!body.success) {
        fail(res, 400, 'invalid-input', 'Send {"text": "..."} or {"optionId": "..."}.');
        return;
      }
      const { text, optionId } = body.data;
      if (text !== undefined && text.length > MAX_TEXT) {
        fail(res, 413, 'payload-too-large', `Messages can be up to ${MAX_TEXT} characters.`);
        return;
      }
      if ((text === undefined || text.trim() === '') && optionId === undefined) {
        fail(res, 400, 'invalid-input', 'The message is empty: send some text or an optionId.');
        return;
      }
      if (!ID.test(req.params.id)) {
        fail(res, 404, 'not-found', 'There is no conversation with that id.');
        return;
      }
      const turn = await engine.handle({
        channel: 'web',
        conversationId: req.params.id,
        ...(text !== undefined ? { text } : {}),
        ...(optionId !== undefined ? { optionId } : {}),
        ...(typeof req.headers['idempotency-key'] === 'string'
          ? { idempotencyKey: req.headers['idempotency-key'] }
          : {}),
      });
      if ('notFound' in turn) {
        fail(
          res,
          404,
          'not-found',
          'There is no conversation with that id. It may have expired: start a new one.',
        );
        return;
      }
      res.json({ replies: turn.replies, ended: turn.ended });
    },
  );

  router.get('/api/conversations/:id', async (req: Request<{ id: string }>, res: Response) => {
    const view = ID.test(req.params.id) ? await engine.view(req.params.id) : undefined;
    if (!view) {
      fail(res, 404, 'not-found', 'There is no conversation with that id.');
      return;
    }
    res.json(view);
  });

  return router;
}
