/**
 * Operational failures carry a stable code that the HTTP layer maps to a status; anything that
 * is not an AppError is a bug. Expected outcomes (slot taken, answer not understood) are values,
 * not errors, and never come through here.
 */
export const ERROR_CODES = [
  'invalid-input',
  'not-found',
  'payload-too-large',
  'config-invalid',
  'pathway-invalid',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
