import type { BookingStore, StoreConfirmOutcome } from './booking.store.js';
import { bookingKeys } from './keys.js';
import type { Booking, CancelResult, Hold, SlotRef } from './types.js';

/** How long a lapsed hold's record is kept, so a late confirm reads "expired" (as on Redis). */
export const HOLD_RECORD_GRACE_MS = 3_600_000;
const SWEEP_ABOVE = 1024;

/** Runs synchronous work as a promise, so a throw becomes a rejection as it would in Redis. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(work());
  });
}

/**
 * The embedded default and the test double: the same behaviour as the Redis adapter (the store
 * contract suite runs against both). Each method runs to completion without awaiting, which is
 * what makes it atomic here. It uses the Redis key layout as map keys, so a malformed id fails
 * here exactly as in Redis.
 */
export class MemoryBookingStore implements BookingStore {
  private readonly keys = bookingKeys('memory');
  /** Per slot: hold id → expiry (ms). */
  private readonly holds = new Map<string, Map<string, number>>();
  /** Per slot: references booked (not cancelled). */
  private readonly booked = new Map<string, Set<string>>();
  private readonly holdRecords = new Map<string, Hold>();
  private readonly bookings = new Map<string, Booking>();
  /** Reference key → the slot-scoped booking key. */
  private readonly references = new Map<string, string>();

  count(slot: SlotRef, now: Date): Promise<number> {
    return settle(() => this.used(slot, now.getTime()));
  }

  countMany(slots: readonly SlotRef[], now: Date): Promise<number[]> {
    return settle(() => slots.map((slot) => this.used(slot, now.getTime())));
  }

  tryHold(hold: Hold, capacity: number, now: Date): Promise<boolean> {
    return settle(() => {
      const nowMs = now.getTime();
      if (this.used(hold, nowMs) >= capacity) {
        return false;
      }
      const key = this.keys.holds(hold.serviceId, hold.start);
      const live = this.holds.get(key) ?? new Map<string, number>();
      live.set(hold.id, Date.parse(hold.expiresAt));
      this.holds.set(key, live);
      this.sweepHoldRecords(nowMs);
      this.holdRecords.set(this.keys.hold(hold.id), { ...hold });
      return true;
    });
  }

  getHold(holdId: string): Promise<Hold | undefined> {
    return settle(() => {
      const hold = this.holdRecords.get(this.keys.hold(holdId));
      return hold ? { ...hold } : undefined;
    });
  }

  confirm(hold: Hold, booking: Booking, now: Date): Promise<StoreConfirmOutcome> {
    return settle(() => {
      const refKey = this.keys.reference(booking.reference);
      if (this.references.has(refKey)) {
        return 'reference-taken';
      }
      const holdsKey = this.keys.holds(hold.serviceId, hold.start);
      const live = this.holds.get(holdsKey);
      const expiresAt = live?.get(hold.id);
      if (expiresAt === undefined) {
        return Date.parse(hold.expiresAt) <= now.getTime() ? 'hold-expired' : 'hold-unknown';
      }
      live?.delete(hold.id);
      if (expiresAt <= now.getTime()) {
        return 'hold-expired';
      }
      const bookedKey = this.keys.booked(hold.serviceId, hold.start);
      const refs = this.booked.get(bookedKey) ?? new Set<string>();
      refs.add(booking.reference);
      this.booked.set(bookedKey, refs);
      const bookingKey = this.keys.booking(hold.serviceId, hold.start, booking.reference);
      this.bookings.set(bookingKey, structuredClone(booking));
      this.references.set(refKey, bookingKey);
      this.holdRecords.delete(this.keys.hold(hold.id));
      return 'ok';
    });
  }

  get(reference: string): Promise<Booking | undefined> {
    return settle(() => {
      const booking = this.find(reference);
      return booking ? structuredClone(booking) : undefined;
    });
  }

  cancel(reference: string, now: Date): Promise<CancelResult> {
    return settle((): CancelResult => {
      const booking = this.find(reference);
      if (!booking) {
        return { ok: false, reason: 'not-found' };
      }
      if (booking.status === 'cancelled') {
        return { ok: false, reason: 'already-cancelled' };
      }
      booking.status = 'cancelled';
      booking.cancelledAt = now.toISOString();
      this.booked.get(this.keys.booked(booking.serviceId, booking.start))?.delete(reference);
      return { ok: true, booking: structuredClone(booking) };
    });
  }

  private find(reference: string): Booking | undefined {
    const bookingKey = this.references.get(this.keys.reference(reference));
    return bookingKey === undefined ? undefined : this.bookings.get(bookingKey);
  }

  /** Unexpired holds plus bookings in the slot; drops lapsed holds on the way, as Redis does. */
  private used(slot: SlotRef, nowMs: number): number {
    const live = this.holds.get(this.keys.holds(slot.serviceId, slot.start));
    if (live) {
      for (const [id, expiresAt] of live) {
        if (expiresAt <= nowMs) {
          live.delete(id);
        }
      }
    }
    const booked = this.booked.get(this.keys.booked(slot.serviceId, slot.start));
    return (live?.size ?? 0) + (booked?.size ?? 0);
  }

  /** Forgets hold records long past expiry (Redis lets their keys expire). */
  private sweepHoldRecords(nowMs: number): void {
    if (this.holdRecords.size < SWEEP_ABOVE) {
      return;
    }
    for (const [key, hold] of this.holdRecords) {
      if (Date.parse(hold.expiresAt) + HOLD_RECORD_GRACE_MS <= nowMs) {
        this.holdRecords.delete(key);
      }
    }
  }
}
