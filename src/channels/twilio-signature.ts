import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import twilio from 'twilio';
import type { Logger } from '../shared/index.js';

/**
 * The check every Twilio webhook (SMS, voice) goes through: the form body is parsed, and
 * X-Twilio-Signature must be Twilio's HMAC of our public URL and the posted parameters.
 *
 * The URL is the configured public base URL plus the path and query the request arrived on
 * (req.originalUrl), never one rebuilt from the Host header: behind a proxy or load balancer the
 * Host and protocol we see are not the ones Twilio signed. A refused request stops here, before
 * any handler runs, so nothing is applied.
 *
 *   missing signature         -> 400
 *   signature does not match  -> 403
 *   validate false            -> no check (local work only; config makes this explicit)
 *   validate true, no token   -> 403 and an error log: a misconfiguration must not open the door
 */

export interface TwilioWebhookOptions {
  authToken?: string | undefined;
  publicBaseUrl: string;
  validate: boolean;
  /** Where refusals are logged; optional so a caller without a logger can still use the check. */
  logger?: Logger | undefined;
}

function refuse(res: Response, status: 400 | 403, message: string): void {
  // Plain text: Twilio itself always signs, so only something that is not Twilio reads this.
  res.status(status).type('text/plain').send(message);
}

export function twilioWebhook(options: TwilioWebhookOptions): RequestHandler[] {
  const base = options.publicBaseUrl.replace(/\/+$/, '');
  const log = options.logger?.child({ component: 'twilio-signature' });

  const check = (req: Request, res: Response, next: NextFunction): void => {
    if (!options.validate) {
      next();
      return;
    }
    if (!options.authToken) {
      log?.error(
        { path: req.path },
        'Twilio webhook refused: signature checks are on but TWILIO_AUTH_TOKEN is not set',
      );
      refuse(res, 403, 'Forbidden: this server cannot check Twilio signatures.');
      return;
    }
    const signature = req.header('x-twilio-signature');
    if (signature === undefined || signature === '') {
      log?.warn({ path: req.path }, 'Twilio webhook refused: no X-Twilio-Signature');
      refuse(res, 400, 'Bad request: X-Twilio-Signature is missing.');
      return;
    }
    // Without a form body (another content type), the signature covers no parameters.
    const params: Record<string, unknown> =
      typeof req.body === 'object' && req.body !== null
        ? (req.body as Record<string, unknown>)
        : {};
    if (!twilio.validateRequest(options.authToken, signature, base + req.originalUrl, params)) {
      log?.warn({ path: req.path }, 'Twilio webhook refused: signature does not match');
      refuse(res, 403, 'Forbidden: the X-Twilio-Signature does not match this request.');
      return;
    }
    next();
  };

  return [express.urlencoded({ extended: false, limit: '64kb' }), check];
}
