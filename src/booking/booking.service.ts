import { AppError, newId, shortCode, type Clock } from '../shared/index.js';
import type { BookingStore } from './booking.store.js';
import type { ServiceDirectory } from './directory.js';
import { isHoldId, isReference } from './keys.js';
import { slotsBetween, type SlotQuery, type SlotSearchResult } from './slots.js';
import {
  TriageSummarySchema,
  type Booking,
  type CancelResult,
  type ConfirmResult,
  type Hold,
  type HoldResult,
  type RescheduleResult,
  type SlotRef,
  type TriageSummary,
} from './types.js';

/** Characters in a booking reference: shortCode's unambiguous alphabet, 8 long. */
export const REFERENCE_LENGTH = 8;
const DEFAULT_HOLD_SECONDS = 300;
const REFERENCE_ATTEMPTS = 5;
/** Rounds of "search, then count the slots it looked at" before trusting the counts read. */
const SEARCH_ROUNDS = 10;

export interface BookingService {
  /** Holds a place in a slot of findSlots for holdSeconds; `slot-full` when none is left. */
  hold(slot: SlotRef): Promise<HoldResult>;
  /** Turns a live hold into a booking with a new reference and the triage summary. */
  confirm(holdId: string, summary: TriageSummary, patientId?: string): Promise<ConfirmResult>;
  /** The booking, or undefined (also for a reference that is not well formed). */
  get(reference: string): Promise<Booking | undefined>;
  cancel(reference: string): Promise<CancelResult>;
  /**
   * Moves a booking to another slot. The new slot is secured (held and confirmed) before the old
   * one is released, so when the new slot cannot be had the original booking stands untouched.
   */
  reschedule(reference: string, newSlot: SlotRef): Promise<RescheduleResult>;
  /** Places taken in a slot (unexpired holds + bookings). */
  bookedCount(serviceId: string, start: string): Promise<number>;
  /** The directory's findSlots with live counts from the store (full slots are not offered). */
  findSlots(query: Omit<SlotQuery, 'booked'>): Promise<SlotSearchResult>;
}

export interface BookingServiceDeps {
  store: BookingStore;
  directory: ServiceDirectory;
  clock: Clock;
  /** How long a hold keeps its place (default 300). */
  holdSeconds?: number;
}

type Resolved = { ok: true; slot: SlotRef & { end: string }; capacity: number } | { ok: false };

export function createBookingService(deps: BookingServiceDeps): BookingService {
  const { store, directory, clock } = deps;
  const holdMs = (deps.holdSeconds ?? DEFAULT_HOLD_SECONDS) * 1000;
  if (!Number.isFinite(holdMs) || holdMs <= 0) {
    throw new AppError('config-invalid', 'holdSeconds must be a positive number');
  }

  /** The slot as findSlots writes it, if it is a future slot of a bookable service. */
  function resolve(ref: SlotRef, now: Date): Resolved {
    const service = directory.byId(ref.serviceId);
    const startMs = Date.parse(ref.start);
    if (!service?.bookable || service.capacityPerSlot === undefined || Number.isNaN(startMs)) {
      return { ok: false };
    }
    if (startMs < now.getTime()) {
      return { ok: false };
    }
    const slot = slotsBetween(service, startMs, startMs).find((s) => s.startMs === startMs);
    if (!slot) {
      return { ok: false };
    }
    // Canonical start: the same string findSlots passes to `booked`, whatever offset came in.
    return {
      ok: true,
      slot: { serviceId: service.id, start: slot.start, end: slot.end },
      capacity: service.capacityPerSlot,
    };
  }

  async function hold(ref: SlotRef): Promise<HoldResult> {
    const now = clock.now();
    const resolved = resolve(ref, now);
    if (!resolved.ok) {
      return { ok: false, reason: 'slot-unknown' };
    }
    const held: Hold = {
      id: newId(),
      ...resolved.slot,
      expiresAt: new Date(now.getTime() + holdMs).toISOString(),
    };
    const added = await store.tryHold(held, resolved.capacity, now);
    return added ? { ok: true, hold: held } : { ok: false, reason: 'slot-full' };
  }

  async function confirmHold(
    held: Hold,
    details: Pick<Booking, 'summary' | 'patientId' | 'rescheduledFrom'>,
  ): Promise<ConfirmResult> {
    for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
      const now = clock.now();
      const booking: Booking = {
        reference: shortCode(REFERENCE_LENGTH),
        serviceId: held.serviceId,
        start: held.start,
        end: held.end,
        status: 'booked',
        createdAt: now.toISOString(),
        summary: details.summary,
        ...(details.patientId !== undefined ? { patientId: details.patientId } : {}),
        ...(details.rescheduledFrom !== undefined
          ? { rescheduledFrom: details.rescheduledFrom }
          : {}),
      };
      const outcome = await store.confirm(held, booking, now);
      switch (outcome) {
        case 'ok':
          return { ok: true, booking };
        case 'hold-expired':
        case 'hold-unknown':
          return { ok: false, reason: outcome };
        case 'reference-taken':
          continue;
      }
    }
    // 27^8 references: repeated collisions mean a broken random source, not bad luck.
    throw new AppError('internal', 'could not find a free booking reference');
  }

  async function confirm(
    holdId: string,
    summary: TriageSummary,
    patientId?: string,
  ): Promise<ConfirmResult> {
    const parsed = TriageSummarySchema.safeParse(summary);
    if (!parsed.success) {
      throw new AppError('invalid-input', 'the triage summary is not valid', {
        cause: parsed.error,
      });
    }
    const held = isHoldId(holdId) ? await store.getHold(holdId) : undefined;
    if (!held) {
      return { ok: false, reason: 'hold-unknown' };
    }
    return confirmHold(held, {
      summary: parsed.data,
      ...(patientId !== undefined ? { patientId } : {}),
    });
  }

  /** References are typed by patients: accept lower case and stray spaces. */
  function normalise(reference: string): string | undefined {
    const ref = reference.replace(/\s+/g, '').toUpperCase();
    return isReference(ref) ? ref : undefined;
  }

  async function get(reference: string): Promise<Booking | undefined> {
    const ref = normalise(reference);
    return ref === undefined ? undefined : store.get(ref);
  }

  async function cancel(reference: string): Promise<CancelResult> {
    const ref = normalise(reference);
    return ref === undefined ? { ok: false, reason: 'not-found' } : store.cancel(ref, clock.now());
  }

  async function reschedule(reference: string, newSlot: SlotRef): Promise<RescheduleResult> {
    const current = await get(reference);
    if (!current) {
      return { ok: false, reason: 'not-found' };
    }
    if (current.status === 'cancelled') {
      return { ok: false, reason: 'already-cancelled' };
    }
    // 1. Secure the new place first: until it is booked, the original is not touched.
    const held = await hold(newSlot);
    if (!held.ok) {
      return { ok: false, reason: held.reason };
    }
    const confirmed = await confirmHold(held.hold, {
      summary: current.summary,
      ...(current.patientId !== undefined ? { patientId: current.patientId } : {}),
      rescheduledFrom: current.reference,
    });
    if (!confirmed.ok) {
      // Only if the hold lapsed between two calls a moment apart: the place is gone again.
      return { ok: false, reason: 'slot-full' };
    }
    // 2. Release the old place.
    const released = await store.cancel(current.reference, clock.now());
    if (!released.ok) {
      // Cancelled meanwhile by someone else: the patient no longer wants a booking, so undo ours.
      await store.cancel(confirmed.booking.reference, clock.now());
      return { ok: false, reason: released.reason };
    }
    return { ok: true, booking: confirmed.booking, previous: released.booking };
  }

  function bookedCount(serviceId: string, start: string): Promise<number> {
    return store.count({ serviceId, start }, clock.now());
  }

  async function findSlots(query: Omit<SlotQuery, 'booked'>): Promise<SlotSearchResult> {
    // findSlots counts synchronously; the store answers asynchronously. So search, count the
    // slots the search looked at, and search again until it looks at no slot it has no count
    // for (a full slot makes it look further). A hold is still the real check.
    const counts = new Map<string, number>();
    const keyOf = (serviceId: string, start: string): string => `${serviceId}\n${start}`;
    let result: SlotSearchResult | undefined;
    for (let round = 0; round < SEARCH_ROUNDS; round++) {
      const missing: SlotRef[] = [];
      result = directory.findSlots({
        ...query,
        booked: (serviceId, start) => {
          const known = counts.get(keyOf(serviceId, start));
          if (known === undefined) {
            missing.push({ serviceId, start });
            return 0;
          }
          return known;
        },
      });
      if (missing.length === 0) {
        return result;
      }
      const found = await store.countMany(missing, clock.now());
      missing.forEach((slot, i) => {
        counts.set(keyOf(slot.serviceId, slot.start), found[i] ?? 0);
      });
    }
    return result ?? directory.findSlots(query);
  }

  return { hold, confirm, get, cancel, reschedule, bookedCount, findSlots };
}
