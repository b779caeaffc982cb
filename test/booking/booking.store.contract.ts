import { describe, expect, test } from 'vitest';
import {
  createBookingService,
  findSlots,
  ServiceDirectory,
  type Booking,
  type BookingService,
  type BookingStore,
  type Service,
  type SlotRef,
  type TriageSummary,
} from '../../src/booking/index.js';
import { fixedClock } from '../../src/shared/index.js';
import { aService, hoursOn } from './load-services.js';

/**
 * What every BookingStore adapter must do, run against each of them (memory always, Redis when
 * REDIS_URL is set). The store is driven through the booking service, as in the app, and also
 * directly where the port's own promise matters (counts). `makeStore` must give a store that
 * shares no data with earlier ones; `peersOf` gives more stores over the same data on other
 * connections, so a race really runs in parallel on Redis.
 */

const NOW = '2027-03-01T08:00:00Z'; // a Monday, 1 hour before the services open
const HOLD_SECONDS = 300;
const UNAMBIGUOUS_REFERENCE = /^[346789ABCDEFGHJKMNPQRTUVWXY]{8}$/;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

const surgery = aService({
  id: 'harbour-surgery',
  capacityPerSlot: 3,
  openingHours: hoursOn([...WEEKDAYS], [{ open: '09:00', close: '17:00' }]),
});
const singleClinic = aService({
  id: 'single-clinic',
  capacityPerSlot: 1,
  openingHours: hoursOn([...WEEKDAYS], [{ open: '09:00', close: '17:00' }]),
});
const bigCentre = aService({
  id: 'big-centre',
  capacityPerSlot: 200,
  openingHours: hoursOn([...WEEKDAYS], [{ open: '09:00', close: '17:00' }]),
});
const signpostOnly = aService({ id: 'signpost-only', bookable: false });
const directory = new ServiceDirectory([surgery, singleClinic, bigCentre, signpostOnly]);

/** The n-th slot (0 = first) of a service after NOW, exactly as findSlots offers it. */
function slotOf(service: Service, n = 0): SlotRef {
  const result = findSlots([service], {
    disposition: 'GP_2H',
    timeframe: 'P1D',
    now: new Date(NOW),
    limit: n + 1,
  });
  const slot = result.ok ? result.slots[n] : undefined;
  if (!slot) {
    throw new Error(`no slot ${n} for ${service.id}`);
  }
  return { serviceId: slot.serviceId, start: slot.start };
}

function aSummary(overrides: Partial<TriageSummary> = {}): TriageSummary {
  return {
    disposition: 'GP_2H',
    reasons: ['Headache for 3 days', 'No red flags'],
    answers: [
      { question: 'Is this the worst headache of your life?', answer: 'No' },
      { question: 'Do you have a temperature?', answer: 'Yes' },
    ],
    ...overrides,
  };
}

export interface BookingStoreContractOptions {
  /** More stores over the same data as `store` (other connections), for races. */
  peersOf?: (store: BookingStore) => BookingStore[];
}

export function describeBookingStoreContract(
  name: string,
  makeStore: () => BookingStore,
  options: BookingStoreContractOptions = {},
): void {
  describe(`BookingStore contract: ${name}`, () => {
    function setup(): {
      store: BookingStore;
      service: BookingService;
      clock: ReturnType<typeof fixedClock>;
      serviceOver: (store: BookingStore) => BookingService;
    } {
      const store = makeStore();
      const clock = fixedClock(NOW);
      const serviceOver = (s: BookingStore): BookingService =>
        createBookingService({ store: s, directory, clock, holdSeconds: HOLD_SECONDS });
      return { store, service: serviceOver(store), clock, serviceOver };
    }

    async function book(
      service: BookingService,
      slot: SlotRef,
      patientId?: string,
    ): Promise<Booking> {
      const held = await service.hold(slot);
      if (!held.ok) {
        throw new Error(`hold failed: ${held.reason}`);
      }
      const confirmed = await service.confirm(held.hold.id, aSummary(), patientId);
      if (!confirmed.ok) {
        throw new Error(`confirm failed: ${confirmed.reason}`);
      }
      return confirmed.booking;
    }

    describe('holds and capacity', () => {
      test('when nothing is held or booked, then the slot counts 0', async () => {
        const { service, store } = setup();

        expect(await service.bookedCount(surgery.id, slotOf(surgery).start)).toBe(0);
        expect(
          await store.countMany([slotOf(surgery), slotOf(singleClinic)], new Date(NOW)),
        ).toEqual([0, 0]);
      });

      test('when 60 patients try to hold one slot of capacity 3 at once, then exactly 3 succeed and the rest get slot-full', async () => {
        const { store, service, serviceOver } = setup();
        const services = [service, ...(options.peersOf?.(store) ?? []).map(serviceOver)];
        const slot = slotOf(surgery);

        const results = await Promise.all(
          Array.from({ length: 60 }, (_, i) =>
            (services[i % services.length] ?? service).hold(slot),
          ),
        );

        const held = results.filter((r) => r.ok);
        const full = results.filter((r) => !r.ok && r.reason === 'slot-full');
        expect(held).toHaveLength(3);
        expect(full).toHaveLength(57);
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(3);
      });

      test('when 60 patients race to hold and confirm, then the slot ends with exactly 3 bookings', async () => {
        const { store, service, serviceOver } = setup();
        const services = [service, ...(options.peersOf?.(store) ?? []).map(serviceOver)];
        const slot = slotOf(surgery, 1);

        const outcomes = await Promise.all(
          Array.from({ length: 60 }, async (_, i) => {
            const s = services[i % services.length] ?? service;
            const held = await s.hold(slot);
            return held.ok ? s.confirm(held.hold.id, aSummary()) : held;
          }),
        );

        expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(3);
        expect((await service.hold(slot)).ok).toBe(false);
      });

      test('when a hold is made, then it lasts holdSeconds and carries the canonical slot', async () => {
        const { service } = setup();
        const slot = slotOf(surgery);

        const held = await service.hold(slot);

        expect(held).toEqual({
          ok: true,
          hold: {
            id: expect.any(String) as string,
            serviceId: surgery.id,
            start: slot.start,
            end: '2027-03-01T09:15:00+00:00',
            expiresAt: '2027-03-01T08:05:00.000Z',
          },
        });
      });

      test('when the same instant is given in another offset, then the hold counts against the slot findSlots offers', async () => {
        const { service } = setup();
        const slot = slotOf(surgery);

        const held = await service.hold({
          serviceId: surgery.id,
          start: '2027-03-01T10:00:00+01:00',
        });

        expect(held.ok && held.hold.start).toBe(slot.start);
        expect(await service.bookedCount(surgery.id, slot.start)).toBe(1);
      });

      test('when a slot is full and its holds lapse, then its places are free again', async () => {
        const { service, clock } = setup();
        const slot = slotOf(surgery);
        for (let i = 0; i < 3; i++) {
          expect((await service.hold(slot)).ok).toBe(true);
        }
        expect(await service.hold(slot)).toEqual({ ok: false, reason: 'slot-full' });

        clock.advance(HOLD_SECONDS * 1000);

        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(0);
        expect((await service.hold(slot)).ok).toBe(true);
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(1);
      });

      test('when a hold has one second left, then it still takes its place', async () => {
        const { service, clock } = setup();
        const slot = slotOf(singleClinic);
        expect((await service.hold(slot)).ok).toBe(true);

        clock.advance(HOLD_SECONDS * 1000 - 1000);

        expect(await service.hold(slot)).toEqual({ ok: false, reason: 'slot-full' });
      });

      test('when a short hold time passes, then the place is free (holdSeconds honoured)', async () => {
        const { store, clock } = setup();
        const quick = createBookingService({ store, directory, clock, holdSeconds: 1 });
        const slot = slotOf(singleClinic);
        expect((await quick.hold(slot)).ok).toBe(true);
        expect(await quick.hold(slot)).toEqual({ ok: false, reason: 'slot-full' });

        clock.advance(1000);

        expect((await quick.hold(slot)).ok).toBe(true);
      });

      test.each([
        [
          'an unknown service',
          { serviceId: 'no-such-service', start: '2027-03-01T09:00:00+00:00' },
        ],
        [
          'a service that is not bookable',
          { serviceId: 'signpost-only', start: '2027-03-01T09:00:00+00:00' },
        ],
        [
          'a start between slots',
          { serviceId: 'harbour-surgery', start: '2027-03-01T09:07:00+00:00' },
        ],
        [
          'a start outside opening hours',
          { serviceId: 'harbour-surgery', start: '2027-03-01T20:00:00+00:00' },
        ],
        [
          'a slot that has already started',
          { serviceId: 'harbour-surgery', start: '2027-02-26T09:00:00+00:00' },
        ],
        ['a start that is not a date', { serviceId: 'harbour-surgery', start: 'tomorrow' }],
      ])('when asked to hold %s, then the answer is slot-unknown', async (_, slot) => {
        const { service } = setup();

        expect(await service.hold(slot)).toEqual({ ok: false, reason: 'slot-unknown' });
      });
    });

    describe('confirm', () => {
      test('when a live hold is confirmed, then the booking has the slot, the triage summary and the patient, and reads back', async () => {
        const { service } = setup();
        const slot = slotOf(surgery);
        const held = await service.hold(slot);
        if (!held.ok) {
          throw new Error('hold failed');
        }
        const summary = aSummary({ reasons: ['Sore throat', 'Temperature over 38C'] });

        const confirmed = await service.confirm(held.hold.id, summary, 'patient-123');

        expect(confirmed).toEqual({
          ok: true,
          booking: {
            reference: expect.stringMatching(UNAMBIGUOUS_REFERENCE) as string,
            serviceId: surgery.id,
            start: slot.start,
            end: '2027-03-01T09:15:00+00:00',
            status: 'booked',
            createdAt: '2027-03-01T08:00:00.000Z',
            summary,
            patientId: 'patient-123',
          },
        });
        const booking = confirmed.ok ? confirmed.booking : undefined;
        expect(await service.get(booking?.reference ?? '')).toEqual(booking);
        // The hold became the booking: one place, not two.
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(1);
      });

      test('when a hold is confirmed after it lapsed, then the answer is hold-expired and nothing is booked', async () => {
        const { service, clock } = setup();
        const slot = slotOf(surgery);
        const held = await service.hold(slot);
        if (!held.ok) {
          throw new Error('hold failed');
        }
        clock.advance(HOLD_SECONDS * 1000 + 1);

        expect(await service.confirm(held.hold.id, aSummary())).toEqual({
          ok: false,
          reason: 'hold-expired',
        });
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(0);
      });

      test('when a lapsed hold was already swept by another hold, then confirming it is still hold-expired', async () => {
        const { service, clock } = setup();
        const slot = slotOf(singleClinic);
        const first = await service.hold(slot);
        if (!first.ok) {
          throw new Error('hold failed');
        }
        clock.advance(HOLD_SECONDS * 1000);
        const second = await service.hold(slot);
        expect(second.ok).toBe(true);

        expect(await service.confirm(first.hold.id, aSummary())).toEqual({
          ok: false,
          reason: 'hold-expired',
        });
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(1);
      });

      test('when a hold is confirmed twice, then the second is hold-unknown and there is one booking', async () => {
        const { service } = setup();
        const slot = slotOf(surgery);
        const held = await service.hold(slot);
        if (!held.ok) {
          throw new Error('hold failed');
        }
        expect((await service.confirm(held.hold.id, aSummary())).ok).toBe(true);

        expect(await service.confirm(held.hold.id, aSummary())).toEqual({
          ok: false,
          reason: 'hold-unknown',
        });
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(1);
      });

      test('when a hold id was never issued, then the answer is hold-unknown', async () => {
        const { service } = setup();

        expect(await service.confirm('6d0f3e4e-0000-4000-8000-000000000000', aSummary())).toEqual({
          ok: false,
          reason: 'hold-unknown',
        });
        expect(await service.confirm('not a {hold}', aSummary())).toEqual({
          ok: false,
          reason: 'hold-unknown',
        });
      });

      test('when 60 bookings are made, then every reference is 8 unambiguous characters and all differ', async () => {
        const { service } = setup();
        const slot = slotOf(bigCentre);

        const bookings = await Promise.all(Array.from({ length: 60 }, () => book(service, slot)));

        const references = bookings.map((b) => b.reference);
        for (const reference of references) {
          expect(reference).toMatch(UNAMBIGUOUS_REFERENCE);
        }
        expect(new Set(references).size).toBe(60);
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(60);
      });

      test('when a reference is typed in lower case with spaces, then the booking is found', async () => {
        const { service } = setup();
        const booking = await book(service, slotOf(surgery));
        const typed =
          `${booking.reference.slice(0, 4)} ${booking.reference.slice(4)}`.toLowerCase();

        expect(await service.get(typed)).toEqual(booking);
      });

      test('when a reference does not exist or is malformed, then get gives undefined', async () => {
        const { service } = setup();

        expect(await service.get('ABCDEFGH')).toBeUndefined();
        expect(await service.get('{x}:*')).toBeUndefined();
      });
    });

    describe('cancel', () => {
      test('when a booking is cancelled twice, then the first frees the place and the second is already-cancelled', async () => {
        const { service, clock } = setup();
        const slot = slotOf(singleClinic);
        const booking = await book(service, slot);
        clock.advance(60_000);

        const first = await service.cancel(booking.reference);
        const second = await service.cancel(booking.reference);

        expect(first).toEqual({
          ok: true,
          booking: { ...booking, status: 'cancelled', cancelledAt: '2027-03-01T08:01:00.000Z' },
        });
        expect(second).toEqual({ ok: false, reason: 'already-cancelled' });
        expect(await service.get(booking.reference)).toEqual(first.ok ? first.booking : undefined);
        expect(await service.bookedCount(slot.serviceId, slot.start)).toBe(0);
        expect((await service.hold(slot)).ok).toBe(true);
      });

      test('when two cancels of one booking race, then exactly one succeeds', async () => {
        const { service } = setup();
        const booking = await book(service, slotOf(surgery));

        const results = await Promise.all(
          Array.from({ length: 10 }, () => service.cancel(booking.reference)),
        );

        expect(results.filter((r) => r.ok)).toHaveLength(1);
        expect(results.filter((r) => !r.ok && r.reason === 'already-cancelled')).toHaveLength(9);
      });

      test('when the reference is unknown, then cancel is not-found', async () => {
        const { service } = setup();

        expect(await service.cancel('ABCDEFGH')).toEqual({ ok: false, reason: 'not-found' });
        expect(await service.cancel('')).toEqual({ ok: false, reason: 'not-found' });
      });
    });

    describe('reschedule', () => {
      test('when the new slot is full, then the answer is slot-full and the original booking stands untouched', async () => {
        const { service } = setup();
        const original = await book(service, slotOf(surgery), 'patient-1');
        const full = slotOf(singleClinic);
        await book(service, full);

        const result = await service.reschedule(original.reference, full);

        expect(result).toEqual({ ok: false, reason: 'slot-full' });
        expect(await service.get(original.reference)).toEqual(original);
        expect(await service.bookedCount(original.serviceId, original.start)).toBe(1);
        expect(await service.bookedCount(full.serviceId, full.start)).toBe(1);
      });

      test('when the new slot is free, then the patient is booked there with the same summary, the old booking is cancelled and its place freed', async () => {
        const { service, clock } = setup();
        const oldSlot = slotOf(singleClinic);
        const newSlot = slotOf(surgery, 2);
        const original = await book(service, oldSlot, 'patient-1');
        clock.advance(60_000);

        const result = await service.reschedule(original.reference, newSlot);

        if (!result.ok) {
          throw new Error(`reschedule failed: ${result.reason}`);
        }
        expect(result.booking).toMatchObject({
          serviceId: newSlot.serviceId,
          start: newSlot.start,
          status: 'booked',
          summary: original.summary,
          patientId: 'patient-1',
          rescheduledFrom: original.reference,
        });
        expect(result.booking.reference).not.toBe(original.reference);
        expect(result.previous).toEqual({
          ...original,
          status: 'cancelled',
          cancelledAt: '2027-03-01T08:01:00.000Z',
        });
        expect(await service.get(original.reference)).toEqual(result.previous);
        expect(await service.get(result.booking.reference)).toEqual(result.booking);
        expect(await service.bookedCount(oldSlot.serviceId, oldSlot.start)).toBe(0);
        expect(await service.bookedCount(newSlot.serviceId, newSlot.start)).toBe(1);
        expect((await service.hold(oldSlot)).ok).toBe(true);
      });

      test('when the booking is cancelled or unknown, then reschedule says so and holds nothing', async () => {
        const { service } = setup();
        const booking = await book(service, slotOf(surgery));
        await service.cancel(booking.reference);
        const target = slotOf(singleClinic);

        expect(await service.reschedule(booking.reference, target)).toEqual({
          ok: false,
          reason: 'already-cancelled',
        });
        expect(await service.reschedule('ABCDEFGH', target)).toEqual({
          ok: false,
          reason: 'not-found',
        });
        expect(await service.bookedCount(target.serviceId, target.start)).toBe(0);
      });

      test('when the new slot does not exist, then the answer is slot-unknown and the original stands', async () => {
        const { service } = setup();
        const original = await book(service, slotOf(surgery));

        expect(
          await service.reschedule(original.reference, {
            serviceId: surgery.id,
            start: '2027-03-01T09:07:00+00:00',
          }),
        ).toEqual({ ok: false, reason: 'slot-unknown' });
        expect(await service.get(original.reference)).toEqual(original);
      });
    });

    describe('slot search', () => {
      test('when the first slot is full, then findSlots offers the next one and shows places left', async () => {
        const { service } = setup();
        const first = slotOf(singleClinic);
        await book(service, first);
        await book(service, slotOf(surgery));

        const result = await service.findSlots({
          disposition: 'GP_2H',
          timeframe: 'PT2H',
          now: new Date(NOW),
          limit: 10,
        });

        if (!result.ok) {
          throw new Error('no slots');
        }
        expect(result.slots).not.toContainEqual(expect.objectContaining(first));
        expect(result.slots).toContainEqual(
          expect.objectContaining({ ...slotOf(singleClinic, 1), remaining: 1 }),
        );
        expect(result.slots).toContainEqual(
          expect.objectContaining({ ...slotOf(surgery), remaining: 2 }),
        );
      });
    });
  });
}
