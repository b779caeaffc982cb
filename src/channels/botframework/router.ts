import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../../config.js';
import { fallbackReply } from '../../flows/index.js';
import type { Logger } from '../../shared/index.js';
import { TriageBot, type BotEngine } from './bot.js';
import { renderReplies } from './render.js';

/**
 * The Bot Framework messaging endpoint (Teams, Web Chat, the Emulator): POST /api/messages,
 * handled by botbuilder's CloudAdapter, which checks the caller's token, runs the bot and
 * answers. Activities sent with deliveryMode "expectReplies" get their replies in the response
 * body; others get them posted back to the activity's serviceUrl.
 *
 * Every botbuilder import stays in this folder (ADR 0004): the SDK is archived and must remain
 * replaceable by the Microsoft 365 Agents SDK without touching anything else.
 */

export interface BotFrameworkDeps {
  engine: BotEngine;
  botFramework: Config['botFramework'];
  logger: Logger;
}

/** Activities are small; Teams' largest (with entities and attachments) are a few kilobytes. */
const BODY_LIMIT = '256kb';

/**
 * The credentials in the exact key names botbuilder reads, built from Config (never from
 * process.env, unlike the SDK samples).
 *
 * Without an app id the adapter runs in local/Emulator mode and authenticates NOTHING: any
 * request is accepted, and even a bogus "Authorization: Bearer x" header is let through (checked
 * on botbuilder 4.23.3, toolchain.md §5). Production must set MICROSOFT_APP_ID,
 * MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TYPE and (single tenant) MICROSOFT_APP_TENANT_ID; with
 * an app id every request needs a valid Bot Framework token or is refused with 401.
 */
export function authOptions(
  botFramework: Config['botFramework'],
): ConfigurationBotFrameworkAuthenticationOptions {
  return {
    MicrosoftAppId: botFramework.appId,
    MicrosoftAppPassword: botFramework.appPassword,
    MicrosoftAppType: botFramework.appType,
    MicrosoftAppTenantId: botFramework.tenantId,
  };
}

export function botFrameworkRouter(deps: BotFrameworkDeps): Router {
  const logger = deps.logger.child({ channel: 'botframework' });
  if (!deps.botFramework.appId) {
    logger.warn('Bot Framework channel in local/Emulator mode: requests are NOT authenticated');
  }
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(authOptions(deps.botFramework)),
  );
  // A turn that fails anywhere (engine, store, rendering) still answers: the patient gets the
  // safe fallback, never silence. What they wrote is not logged.
  adapter.onTurnError = async (context, error) => {
    logger.error(
      { err: { name: error.name, message: error.message }, activityType: context.activity.type },
      'Bot Framework turn failed; safe fallback sent',
    );
    try {
      await context.sendActivities(renderReplies([fallbackReply()]));
    } catch (sendError) {
      logger.error(
        { err: sendError instanceof Error ? { message: sendError.message } : String(sendError) },
        'could not send the fallback to the Bot Framework channel',
      );
    }
  };
  const bot = new TriageBot(deps.engine, logger);

  const router = Router();
  // botbuilder needs a parsed body: without JSON the adapter itself answers 400.
  router.post(
    '/api/messages',
    express.json({ limit: BODY_LIMIT }),
    async (req: Request, res: Response) => {
      await adapter.process(req, res, (context) => bot.run(context));
    },
  );
  // Malformed JSON (or an oversized body) is the caller's mistake: a short 4xx, not a stack.
  router.use(
    '/api/messages',
    (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
      const status =
        typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 0;
      if (res.headersSent || status < 400 || status >= 500) {
        next(err);
        return;
      }
      res.status(status).json({
        error:
          status === 413
            ? { code: 'payload-too-large', message: `Activities can be up to ${BODY_LIMIT}.` }
            : { code: 'invalid-input', message: 'The body must be a Bot Framework activity.' },
      });
    },
  );
  return router;
}
