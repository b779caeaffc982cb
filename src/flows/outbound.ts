/**
 * Messages we start (confirmations, reminders, "continue on the web" links), as opposed to
 * replies to a message. The port is here so flows and booking can send without knowing Twilio;
 * the Twilio adapter lives in src/channels/sms/outbound.ts.
 */
export type OutboundResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'not-configured' | 'opted-out' | 'invalid-number' | 'failed' };

export interface OutboundMessenger {
  sendSms(to: string, body: string): Promise<OutboundResult>;
}
