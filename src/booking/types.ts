import { z } from 'zod';

/**
 * Holds and bookings. A hold keeps a place in a slot for a few minutes while the patient
 * confirms; a booking is the confirmed place, with the triage summary for the receiving
 * service. Every outcome a caller should expect (slot full, hold expired, already cancelled) is
 * a value of a result union below, never a throw.
 *
 * The schemas parse records read back from a store (untrusted: older builds, manual edits).
 */

const IsoInstant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date-time');

export const HoldSchema = z.object({
  id: z.string().min(1),
  serviceId: z.string().min(1),
  /** The slot's start exactly as findSlots gives it (ISO 8601 with the service's offset). */
  start: IsoInstant,
  end: IsoInstant,
  /** When the hold lapses and its place is free again (ISO 8601, UTC). */
  expiresAt: IsoInstant,
});
export type Hold = z.infer<typeof HoldSchema>;

export const TriageSummarySchema = z.object({
  /** Disposition code, e.g. GP_2H. */
  disposition: z.string().min(1),
  /** Why the pathway reached it, in words the receiving clinician reads. */
  reasons: z.array(z.string()),
  /** The questions asked and the answers given, in order. */
  answers: z.array(z.object({ question: z.string(), answer: z.string() })),
});
export type TriageSummary = z.infer<typeof TriageSummarySchema>;

export const BOOKING_STATUSES = ['booked', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const BookingSchema = z.object({
  /** Short code in unambiguous characters, read aloud and typed from SMS. */
  reference: z.string().min(1),
  serviceId: z.string().min(1),
  start: IsoInstant,
  end: IsoInstant,
  status: z.enum(BOOKING_STATUSES),
  createdAt: IsoInstant,
  cancelledAt: IsoInstant.optional(),
  /** The triage summary attached for the receiving service. */
  summary: TriageSummarySchema,
  patientId: z.string().min(1).optional(),
  /** The booking this one replaced, when it was made by a reschedule. */
  rescheduledFrom: z.string().min(1).optional(),
});
export type Booking = z.infer<typeof BookingSchema>;

/** A slot to hold: the serviceId and start of a Slot from findSlots (end is derived). */
export interface SlotRef {
  serviceId: string;
  start: string;
}

export type HoldResult =
  { ok: true; hold: Hold } | { ok: false; reason: 'slot-full' | 'slot-unknown' };

export type ConfirmResult =
  { ok: true; booking: Booking } | { ok: false; reason: 'hold-expired' | 'hold-unknown' };

export type CancelResult =
  { ok: true; booking: Booking } | { ok: false; reason: 'not-found' | 'already-cancelled' };

export type RescheduleResult =
  | { ok: true; booking: Booking; previous: Booking }
  | { ok: false; reason: 'slot-full' | 'slot-unknown' | 'not-found' | 'already-cancelled' };
