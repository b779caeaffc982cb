import { AppError } from '../shared/index.js';

/**
 * Every Redis key of the booking store, built here and nowhere else.
 *
 * - `<prefix>:book:{s:<serviceId>:<start>}:holds` (sorted set: hold id → expiry in ms),
 *   `…:booked` (set of references) and `…:booking:<reference>` (hash) share the slot's hash tag,
 *   so each Lua script (hold, confirm, cancel) touches one cluster slot.
 * - `<prefix>:book:ref:<reference>` → the slot of a booking (a pointer, written once, NX).
 * - `<prefix>:book:hold:<holdId>` → the hold record, kept a while past its expiry so a late
 *   confirm reads "expired" rather than "unknown".
 */

const SERVICE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// An ISO 8601 date-time as findSlots writes it; no braces, spaces or anything else.
const SLOT_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const HOLD_ID = /^[A-Za-z0-9-]{1,64}$/;
const REFERENCE = /^[A-Z0-9]{4,16}$/;

export function isHoldId(value: string): boolean {
  return HOLD_ID.test(value);
}

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

export interface BookingKeys {
  holds(serviceId: string, start: string): string;
  booked(serviceId: string, start: string): string;
  booking(serviceId: string, start: string, reference: string): string;
  reference(reference: string): string;
  hold(holdId: string): string;
}

export function bookingKeys(prefix: string): BookingKeys {
  if (!/^[^{}\s]+$/.test(prefix)) {
    // A brace in the prefix would become the hash tag and put every slot in one cluster slot.
    throw new AppError('config-invalid', 'the Redis key prefix must not contain braces or spaces');
  }
  const slot = (serviceId: string, start: string): string => {
    if (!SERVICE_ID.test(serviceId) || !SLOT_START.test(start)) {
      throw new AppError('invalid-input', 'not a slot (service id and ISO start)');
    }
    return `${prefix}:book:{s:${serviceId}:${start}}`;
  };
  const reference = (ref: string): string => {
    if (!isReference(ref)) {
      throw new AppError('invalid-input', 'not a booking reference');
    }
    return ref;
  };
  return {
    holds: (serviceId, start) => `${slot(serviceId, start)}:holds`,
    booked: (serviceId, start) => `${slot(serviceId, start)}:booked`,
    booking: (serviceId, start, ref) => `${slot(serviceId, start)}:booking:${reference(ref)}`,
    reference: (ref) => `${prefix}:book:ref:${reference(ref)}`,
    hold: (holdId) => {
      if (!isHoldId(holdId)) {
        throw new AppError('invalid-input', 'not a hold id');
      }
      return `${prefix}:book:hold:${holdId}`;
    },
  };
}
