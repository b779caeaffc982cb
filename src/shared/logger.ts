import { pino } from 'pino';

/**
 * Structured JSON logs. Personal data and free text are redacted by default: logs carry codes,
 * ids, durations and pathway versions, never what a patient wrote or who they are.
 */
export type Logger = pino.Logger;

export const REDACT_PATHS = [
  'text',
  '*.text',
  'body',
  '*.body',
  'phone',
  '*.phone',
  'from',
  '*.from',
  'nhsNumber',
  '*.nhsNumber',
  'name',
  '*.name',
  'dateOfBirth',
  '*.dateOfBirth',
  'req.headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'digital-111' },
  };
  return destination ? pino(options, destination) : pino(options);
}
