import type { Booking, CancelResult, Hold, SlotRef } from './types.js';

export type { SlotRef } from './types.js';

/** How a store answers confirm: the service turns these into a ConfirmResult. */
export type StoreConfirmOutcome = 'ok' | 'hold-expired' | 'hold-unknown' | 'reference-taken';

/**
 * The booking store's port. Each write that can race is one atomic step in the adapter (a Lua
 * script on Redis), so a slot's capacity is never exceeded however many patients try at once.
 *
 * Time is passed in (`now`): the service's Clock decides when a hold has lapsed, in every
 * adapter, so tests with a fixed clock behave the same on memory and on Redis.
 */
export interface BookingStore {
  /** Places taken in a slot: unexpired holds plus bookings (cancelled ones do not count). */
  count(slot: SlotRef, now: Date): Promise<number>;
  /** count() for many slots at once (one round trip on Redis), in the same order. */
  countMany(slots: readonly SlotRef[], now: Date): Promise<number[]>;

  /**
   * Atomically: drops lapsed holds of the slot, and adds this one only if holds + bookings are
   * below `capacity`. False when the slot is full.
   */
  tryHold(hold: Hold, capacity: number, now: Date): Promise<boolean>;
  /** A hold by id while its record is kept (live, or lapsed not long ago), else undefined. */
  getHold(holdId: string): Promise<Hold | undefined>;
  /**
   * Atomically turns a live hold into `booking` (same slot): the hold stops counting and the
   * booking starts. `hold-expired` when it has lapsed, `hold-unknown` when it was already used,
   * `reference-taken` when the booking's reference exists (the caller picks another).
   */
  confirm(hold: Hold, booking: Booking, now: Date): Promise<StoreConfirmOutcome>;

  /** The booking with this reference, or undefined. */
  get(reference: string): Promise<Booking | undefined>;
  /** Atomically marks it cancelled and frees its place; a second cancel is `already-cancelled`. */
  cancel(reference: string, now: Date): Promise<CancelResult>;
}
