/** The small shared kernel: errors, logging, time and ids. No domain logic. */
export { AppError, ERROR_CODES, isAppError, type ErrorCode } from './errors.js';
export { createLogger, REDACT_PATHS, type Logger } from './logger.js';
export { fixedClock, systemClock, type Clock } from './clock.js';
export { newId, shortCode } from './ids.js';
