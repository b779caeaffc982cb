import express from 'express';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/**
 * A stand-in for Twilio's REST API, as a real HTTP server on 127.0.0.1 (random port): it accepts
 * POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic auth and a form body, the
 * way api.twilio.com does, records every request it gets, and can be told to fail. Point
 * TWILIO_API_BASE_URL (config.twilio.apiBaseUrl) at `url`; tests then assert the HTTP requests
 * that really went out, with no module mocked.
 */

export interface FakeTwilioRequest {
  method: string;
  path: string;
  /** The account in the path. */
  accountSid: string;
  /** Basic auth matched the account in the path and its token. */
  authorised: boolean;
  /** The form body (To, From or MessagingServiceSid, Body, ...). */
  form: Record<string, string>;
  contentType: string | undefined;
}

export interface FakeTwilioFailure {
  status: number;
  /** Twilio's error code, e.g. 21211 invalid To number, 21610 unsubscribed recipient. */
  code: number;
  message: string;
}

export interface FakeTwilio {
  /** Origin to use as the API base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  accountSid: string;
  authToken: string;
  requests: FakeTwilioRequest[];
  /** The next `times` message requests fail with this error (default a 500). */
  failNext(failure?: Partial<FakeTwilioFailure>, times?: number): void;
  close(): Promise<void>;
}

export const FAKE_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const FAKE_AUTH_TOKEN = 'fake-twilio-auth-token';

function twilioError(failure: FakeTwilioFailure): Record<string, unknown> {
  return {
    code: failure.code,
    message: failure.message,
    more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
    status: failure.status,
  };
}

function basicAuth(header: string | undefined): { user: string; pass: string } | undefined {
  const match = /^Basic (.+)$/i.exec(header ?? '');
  if (!match?.[1]) {
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), pass: decoded.slice(colon + 1) };
}

export async function startFakeTwilio(
  credentials: { accountSid?: string; authToken?: string } = {},
): Promise<FakeTwilio> {
  const accountSid = credentials.accountSid ?? FAKE_ACCOUNT_SID;
  const authToken = credentials.authToken ?? FAKE_AUTH_TOKEN;
  const requests: FakeTwilioRequest[] = [];
  const failures: FakeTwilioFailure[] = [];

  const app = express();
  app.use(express.urlencoded({ extended: false }));

  app.post('/2010-04-01/Accounts/:sid/Messages.json', (req, res) => {
    const auth = basicAuth(req.header('authorization'));
    const sid = req.params.sid;
    const authorised =
      auth !== undefined &&
      auth.user === accountSid &&
      auth.pass === authToken &&
      sid === auth.user;
    const form = (req.body ?? {}) as Record<string, string>;
    requests.push({
      method: req.method,
      path: req.path,
      accountSid: sid,
      authorised,
      form: { ...form },
      contentType: req.header('content-type'),
    });
    if (!authorised) {
      res
        .status(401)
        .json(twilioError({ status: 401, code: 20003, message: 'Authentication Error' }));
      return;
    }
    const failure = failures.shift();
    if (failure) {
      res.status(failure.status).json(twilioError(failure));
      return;
    }
    if (!form.To || !form.Body || (!form.From && !form.MessagingServiceSid)) {
      res.status(400).json(
        twilioError({
          status: 400,
          code: 21604,
          message: 'A required parameter (To, Body, From) is missing.',
        }),
      );
      return;
    }
    const now = new Date().toUTCString();
    res.status(201).json({
      sid: `SM${randomBytes(16).toString('hex')}`,
      account_sid: sid,
      to: form.To,
      from: form.From ?? null,
      messaging_service_sid: form.MessagingServiceSid ?? null,
      body: form.Body,
      status: 'queued',
      direction: 'outbound-api',
      num_segments: '1',
      date_created: now,
      date_updated: now,
      date_sent: null,
      api_version: '2010-04-01',
      uri: `/2010-04-01/Accounts/${sid}/Messages.json`,
    });
  });

  app.use((req, res) => {
    res
      .status(404)
      .json(
        twilioError({ status: 404, code: 20404, message: `No route ${req.method} ${req.path}` }),
      );
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', (err?: Error) => {
      if (err) {
        reject(err);
      } else {
        resolve(s);
      }
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    failNext(failure = {}, times = 1) {
      for (let i = 0; i < times; i++) {
        failures.push({
          status: failure.status ?? 500,
          code: failure.code ?? 20500,
          message: failure.message ?? 'Internal Server Error',
        });
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => {
          if (err) {
            reject(err);
          } else {
            resolve();
          }
        });
      }),
  };
}
