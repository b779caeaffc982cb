/**
 * Booking's public API: the directory of services and the slot search (issue 5, first part;
 * hold / book / cancel come later). It knows nothing of channels, flows, triage or the CRM, and
 * reads no files: the composition root loads data/services/*.yaml and parses each with
 * ServiceSchema. Other folders import from here only (enforced by lint).
 */
export { checkServiceFileName, ServiceDirectory, type DirectoryProblem } from './directory.js';
export {
  DayExceptionSchema,
  NEVER_BOOKABLE,
  OpeningHoursSchema,
  SERVICE_TYPES,
  ServiceSchema,
  serviceJsonSchema,
  SessionSchema,
  WEEKDAYS,
  type DayException,
  type OpeningHours,
  type Service,
  type ServiceInput,
  type ServiceType,
  type Session,
  type Weekday,
} from './service.schema.js';
export {
  findSlots,
  isOpenAt,
  type BookedCount,
  type Slot,
  type SlotQuery,
  type SlotSearchResult,
} from './slots.js';
export {
  createBookingService,
  REFERENCE_LENGTH,
  type BookingService,
  type BookingServiceDeps,
} from './booking.service.js';
export type { BookingStore, StoreConfirmOutcome } from './booking.store.js';
export { MemoryBookingStore } from './booking.store.memory.js';
export { RedisBookingStore } from './booking.store.redis.js';
export { bookingKeys, type BookingKeys } from './keys.js';
export {
  BookingSchema,
  HoldSchema,
  TriageSummarySchema,
  type Booking,
  type BookingStatus,
  type CancelResult,
  type ConfirmResult,
  type Hold,
  type HoldResult,
  type RescheduleResult,
  type SlotRef,
  type TriageSummary,
} from './types.js';
