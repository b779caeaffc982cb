import twilio from 'twilio';
import type { Config } from '../../config.js';
import type { OutboundMessenger, OutboundResult } from '../../flows/index.js';
import type { Logger } from '../../shared/index.js';
import { countSegments, toGsm7 } from './segments.js';

/**
 * The OutboundMessenger port over Twilio's REST API: messages we start (a link to continue by
 * text, confirmations). Nothing is sent without credentials, to a number that opted out (STOP),
 * or to something that is not an E.164 number; the body is GSM-7 only, like our replies.
 */

export interface TwilioMessengerDeps {
  twilio: Config['twilio'];
  logger: Logger;
  isOptedOut: (phone: string) => Promise<boolean>;
}

/** Give up on Twilio after this long: the caller is usually a person waiting for an answer. */
const TIMEOUT_MS = 10_000;

/** E.164: a plus, a country code and up to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** Twilio error codes that mean the number is wrong, or that its owner has opted out. */
const INVALID_NUMBER_CODES = new Set([21211, 21214, 21217, 21401, 21407, 21421, 21614]);
const OPTED_OUT_CODES = new Set([21610]);

/**
 * A RequestClient that sends every request to another origin (TWILIO_API_BASE_URL), keeping the
 * path and query Twilio's resource classes built. A custom httpClient is the extension point
 * twilio-node documents for changing how requests are made (advanced-examples/
 * custom-http-client.md); the alternatives are worse: rewriting `client.api.baseUrl` reaches
 * into an undocumented field, and `edge`/`region` only choose among Twilio's own hosts.
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #base: string;

  constructor(baseUrl: string, opts: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.#base = baseUrl.replace(/\/+$/, '');
  }

  override request<TData>(
    opts: Parameters<typeof twilio.RequestClient.prototype.request<TData>>[0],
  ): ReturnType<typeof twilio.RequestClient.prototype.request<TData>> {
    const original = new URL(opts.uri);
    return super.request({ ...opts, uri: `${this.#base}${original.pathname}${original.search}` });
  }
}

function errorCode(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number') {
    return err.code;
  }
  return undefined;
}

export function createTwilioMessenger(deps: TwilioMessengerDeps): OutboundMessenger {
  const { accountSid, authToken, fromNumber, apiBaseUrl } = deps.twilio;
  const log = deps.logger.child({ component: 'sms-outbound' });
  const client =
    accountSid && authToken && fromNumber
      ? twilio(accountSid, authToken, {
          timeout: TIMEOUT_MS,
          ...(apiBaseUrl
            ? { httpClient: new BaseUrlRequestClient(apiBaseUrl, { timeout: TIMEOUT_MS }) }
            : {}),
        })
      : undefined;
  // A messaging service SID (MG…) may stand in for a number, as TWILIO_FROM_NUMBER documents.
  const sender = fromNumber?.startsWith('MG')
    ? { messagingServiceSid: fromNumber }
    : { from: fromNumber ?? '' };

  return {
    async sendSms(to: string, body: string): Promise<OutboundResult> {
      if (!client) {
        log.warn('outbound SMS not sent: Twilio is not configured');
        return { ok: false, reason: 'not-configured' };
      }
      if (!E164.test(to)) {
        log.warn('outbound SMS not sent: the number is not in E.164 form');
        return { ok: false, reason: 'invalid-number' };
      }
      try {
        if (await deps.isOptedOut(to)) {
          log.info('outbound SMS not sent: the number has opted out');
          return { ok: false, reason: 'opted-out' };
        }
      } catch (err) {
        // Not knowing whether someone said STOP is a reason not to text them.
        log.error(
          { err: err instanceof Error ? { message: err.message } : String(err) },
          'outbound SMS not sent: opt-out status unavailable',
        );
        return { ok: false, reason: 'failed' };
      }
      const text = toGsm7(body);
      try {
        const message = await client.messages.create({ to, body: text, ...sender });
        log.info(
          { messageSid: message.sid, segments: countSegments(text).segments },
          'outbound SMS sent',
        );
        return { ok: true, id: message.sid };
      } catch (err) {
        // Only the code: Twilio's messages can quote the number, which logs never hold.
        const code = errorCode(err);
        log.warn({ code }, 'outbound SMS failed');
        if (code !== undefined && OPTED_OUT_CODES.has(code)) {
          return { ok: false, reason: 'opted-out' };
        }
        if (code !== undefined && INVALID_NUMBER_CODES.has(code)) {
          return { ok: false, reason: 'invalid-number' };
        }
        return { ok: false, reason: 'failed' };
      }
    },
  };
}
