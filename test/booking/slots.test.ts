import { describe, expect, test } from 'vitest';
import {
  findSlots,
  isOpenAt,
  type Service,
  type Slot,
  type SlotQuery,
  type SlotSearchResult,
} from '../../src/booking/index.js';
import { slotsBetween } from '../../src/booking/slots.js';
import { isAppError } from '../../src/shared/index.js';
import {
  aService,
  bundledService,
  bundledServices,
  hoursOn,
  timeframeOf,
} from './load-services.js';

const MINUTE = 60_000;
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

function westmere(): Service[] {
  return bundledServices().map((s) => s.service);
}

/** A search for a disposition with its real time frame from data/dispositions.yaml. */
function searchFor(code: string, now: string, extra: Partial<SlotQuery> = {}): SlotQuery {
  return { disposition: code, timeframe: timeframeOf(code), now: new Date(now), ...extra };
}

function slotsOf(result: SlotSearchResult): Slot[] {
  if (!result.ok) {
    throw new Error(`expected slots, got ${JSON.stringify(result)}`);
  }
  return result.slots;
}

/** Local wall-clock "HH:MM+offset" of an ISO start, as the patient would read it. */
function wallClock(iso: string): string {
  return `${iso.slice(11, 16)}${iso.slice(19)}`;
}

function minutesLong(slot: { start: string; end: string }): number {
  return (Date.parse(slot.end) - Date.parse(slot.start)) / MINUTE;
}

/** Every slot of a service over a window, through the public search, without capacity limits. */
function allSlots(service: Service, from: string, to: string): Slot[] {
  const hours = (Date.parse(to) - Date.parse(from)) / 3_600_000;
  const result = findSlots([service], {
    disposition: service.accepts[0] ?? '',
    timeframe: `PT${hours}H`,
    now: new Date(from),
    limit: 10_000,
  });
  return result.ok ? result.slots : [];
}

function expectContiguous(slots: readonly Slot[], minutes: number): void {
  const starts = new Set(slots.map((s) => Date.parse(s.start)));
  expect(starts.size, 'no two slots start at the same instant').toBe(slots.length);
  slots.forEach((slot, i) => {
    expect(minutesLong(slot), slot.start).toBe(minutes);
    const next = slots[i + 1];
    if (next) {
      expect(Date.parse(next.start), `gap or overlap after ${slot.start}`).toBe(
        Date.parse(slot.end),
      );
    }
  });
}

/** A GP practice open 09:00-17:00 on weekdays, with 15-minute slots for one patient each. */
function aPractice(overrides: Parameters<typeof aService>[0] = {}): Service {
  return aService({
    id: 'test-practice',
    openingHours: hoursOn([...WEEKDAYS], [{ open: '09:00', close: '17:00' }]),
    ...overrides,
  });
}

describe('findSlots on an ordinary day', () => {
  test('when a GP_6H search runs at 10:07 on a Wednesday, then the next 10-minute GP slots come first, earliest first and by service id', () => {
    const result = findSlots(westmere(), searchFor('GP_6H', '2027-01-13T10:07:00Z', { limit: 4 }));

    expect(result).toEqual({
      ok: true,
      deadline: '2027-01-13T16:07:00Z',
      slots: [
        {
          serviceId: 'harbour-lane-surgery',
          start: '2027-01-13T10:10:00+00:00',
          end: '2027-01-13T10:20:00+00:00',
          remaining: 1,
        },
        {
          serviceId: 'millbrook-medical-practice',
          start: '2027-01-13T10:10:00+00:00',
          end: '2027-01-13T10:20:00+00:00',
          remaining: 2,
        },
        {
          serviceId: 'westmere-park-health-centre',
          start: '2027-01-13T10:10:00+00:00',
          end: '2027-01-13T10:20:00+00:00',
          remaining: 1,
        },
        {
          serviceId: 'harbour-lane-surgery',
          start: '2027-01-13T10:20:00+00:00',
          end: '2027-01-13T10:30:00+00:00',
          remaining: 1,
        },
      ],
    });
  });

  test('when a practice opens 09:00-17:00, then its slots run from 09:00 to the last one ending at 17:00', () => {
    const slots = allSlots(aPractice(), '2027-01-13T00:00:00Z', '2027-01-14T00:00:00Z');

    expect(slots).toHaveLength(32);
    expect(slots[0]?.start).toBe('2027-01-13T09:00:00+00:00');
    expect(slots.at(-1)?.end).toBe('2027-01-13T17:00:00+00:00');
    expectContiguous(slots, 15);
  });

  test('when a pharmacy closes for lunch, then no slot starts or runs into the lunch hour', () => {
    const slots = allSlots(
      bundledService('high-street-pharmacy'),
      '2027-01-13T00:00:00Z',
      '2027-01-14T00:00:00Z',
    );
    const times = slots.map((s) => wallClock(s.start));

    expect(times).toContain('12:45+00:00');
    expect(times).not.toContain('13:00+00:00');
    expect(times).not.toContain('13:45+00:00');
    expect(times).toContain('14:00+00:00');
    expect(times.at(-1)).toBe('17:15+00:00');
  });

  test('when the search starts at the very start of a slot, then that slot is offered; one already under way is not', () => {
    const atStart = slotsOf(findSlots([aPractice()], searchFor('GP_2H', '2027-01-13T10:15:00Z')));
    const underWay = slotsOf(findSlots([aPractice()], searchFor('GP_2H', '2027-01-13T10:14:59Z')));

    expect(atStart[0]?.start).toBe('2027-01-13T10:15:00+00:00');
    expect(underWay[0]?.start).toBe('2027-01-13T10:15:00+00:00');
  });

  test('when the search runs at 02:05 on a Tuesday, then the out-of-hours session that opened on Monday evening offers 02:15', () => {
    const slots = slotsOf(findSlots(westmere(), searchFor('GP_1H', '2027-01-12T02:05:00Z')));

    expect(slots[0]).toMatchObject({
      serviceId: 'westmere-out-of-hours-gp',
      start: '2027-01-12T02:15:00+00:00',
    });
  });

  test('when the search runs at 10:07, then no slot that starts before 10:07 is offered', () => {
    const slots = slotsOf(
      findSlots(westmere(), searchFor('GP_6H', '2027-01-13T10:07:00Z', { limit: 1000 })),
    );

    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      expect(Date.parse(slot.start)).toBeGreaterThanOrEqual(Date.parse('2027-01-13T10:07:00Z'));
    }
  });
});

describe('findSlots on closed days and bank holidays', () => {
  test('when it is Saturday, then GP practices offer nothing and a GP_12H search finds only the out-of-hours GP', () => {
    const slots = slotsOf(
      findSlots(westmere(), searchFor('GP_12H', '2027-01-16T09:00:00Z', { limit: 1000 })),
    );

    expect(slots.length).toBeGreaterThan(0);
    expect(new Set(slots.map((s) => s.serviceId))).toEqual(new Set(['westmere-out-of-hours-gp']));
  });

  test('when a practice is asked on a Friday evening with 3 days to spare, then its first slot is Monday 08:00', () => {
    const slots = slotsOf(findSlots(westmere(), searchFor('GP_3D', '2027-01-15T19:00:00Z')));

    expect(slots[0]).toMatchObject({
      serviceId: 'harbour-lane-surgery',
      start: '2027-01-18T08:00:00+00:00',
    });
  });

  test('when it is the early May bank holiday, then GP practices are closed until Tuesday 08:00 (BST)', () => {
    const slots = slotsOf(findSlots(westmere(), searchFor('GP_3D', '2027-05-03T07:00:00Z')));

    expect(slots[0]?.start).toBe('2027-05-04T08:00:00+01:00');
  });

  test('when it is the early May bank holiday, then a GP_12H search finds the out-of-hours GP open all day', () => {
    const slots = slotsOf(findSlots(westmere(), searchFor('GP_12H', '2027-05-03T11:00:00Z')));

    expect(slots[0]).toMatchObject({
      serviceId: 'westmere-out-of-hours-gp',
      start: '2027-05-03T12:00:00+01:00',
    });
  });

  test('when it is Christmas Day 2026 at 08:00, then the urgent treatment centre offers its reduced hours from 10:00', () => {
    const slots = slotsOf(findSlots(westmere(), searchFor('UEC_4H', '2026-12-25T08:00:00Z')));

    expect(slots[0]).toMatchObject({
      serviceId: 'westmere-utc',
      start: '2026-12-25T10:00:00+00:00',
    });
  });

  test('when it is Christmas Day 2026, then only the rota pharmacy has slots that day, 10:00 to 13:00', () => {
    const slots = slotsOf(
      findSlots(westmere(), searchFor('PHARMACY_24H', '2026-12-25T07:00:00Z', { limit: 1000 })),
    );
    const christmas = slots.filter((s) => s.start.startsWith('2026-12-25'));

    expect(new Set(christmas.map((s) => s.serviceId))).toEqual(new Set(['quayside-pharmacy']));
    expect(christmas[0]?.start).toBe('2026-12-25T10:00:00+00:00');
    expect(christmas.at(-1)?.end).toBe('2026-12-25T13:00:00+00:00');
  });

  test('when it is Easter Sunday 2027, then the pharmacy in the large store offers nothing that day', () => {
    const store = bundledService('westmere-retail-park-pharmacy');

    expect(allSlots(store, '2027-03-28T00:00:00+00:00', '2027-03-28T23:00:00Z')).toEqual([]);
    expect(allSlots(store, '2027-04-04T00:00:00+01:00', '2027-04-04T23:00:00Z')).toHaveLength(24);
  });

  test('when an exception closes the day after an overnight session opens, then the session still runs into that morning', () => {
    const service = aService({
      openingHours: hoursOn(['tue'], [{ open: '18:30', close: '08:00' }]),
      exceptions: [{ date: '2027-01-13', closed: true }],
    });

    const slots = allSlots(service, '2027-01-12T00:00:00Z', '2027-01-14T00:00:00Z');

    expect(slots[0]?.start).toBe('2027-01-12T18:30:00+00:00');
    expect(slots.at(-1)?.end).toBe('2027-01-13T08:00:00+00:00');
  });

  test('when an exception closes the day an overnight session opens, then neither that evening nor the next morning is offered', () => {
    const service = aService({
      openingHours: hoursOn(['tue'], [{ open: '18:30', close: '08:00' }]),
      exceptions: [{ date: '2027-01-12', closed: true, note: 'Staff training' }],
    });

    expect(allSlots(service, '2027-01-12T00:00:00Z', '2027-01-14T00:00:00Z')).toEqual([]);
  });

  test('when sessions overlap, then slots are never offered twice or overlapping', () => {
    const service = aService({
      openingHours: hoursOn(
        ['fri'],
        [
          { open: '18:30', close: '08:00' },
          { open: '07:10', close: '09:00' },
        ],
      ),
    });

    const slots = allSlots(service, '2027-01-15T00:00:00Z', '2027-01-17T00:00:00Z');

    expect(slots.map((s) => wallClock(s.start)).slice(0, 3)).toEqual([
      '07:10+00:00',
      '07:25+00:00',
      '07:40+00:00',
    ]);
    for (let i = 1; i < slots.length; i++) {
      expect(Date.parse(slots[i]?.start ?? '')).toBeGreaterThanOrEqual(
        Date.parse(slots[i - 1]?.end ?? ''),
      );
    }
  });
});

describe('findSlots across the clock changes (Europe/London)', () => {
  test('when the clocks go forward on 28 March 2027, then the urgent treatment centre still opens at 08:00 local and closes at 20:00 local', () => {
    const utc = bundledService('westmere-utc');

    const saturday = allSlots(utc, '2027-03-27T00:00:00Z', '2027-03-27T23:00:00Z');
    const sunday = allSlots(utc, '2027-03-28T00:00:00Z', '2027-03-28T22:00:00Z');

    expect(saturday[0]?.start).toBe('2027-03-27T08:00:00+00:00');
    expect(saturday.at(-1)?.end).toBe('2027-03-27T20:00:00+00:00');
    expect(sunday[0]?.start).toBe('2027-03-28T08:00:00+01:00');
    expect(sunday.at(-1)?.end).toBe('2027-03-28T20:00:00+01:00');
    expect(saturday).toHaveLength(48);
    expect(sunday).toHaveLength(48);
    expectContiguous(sunday, 15);
  });

  test('when the clocks go back on 25 October 2026, then the urgent treatment centre still opens at 08:00 local and closes at 20:00 local', () => {
    const utc = bundledService('westmere-utc');

    const saturday = allSlots(utc, '2026-10-24T00:00:00Z', '2026-10-24T22:00:00Z');
    const sunday = allSlots(utc, '2026-10-25T00:00:00Z', '2026-10-25T23:00:00Z');

    expect(saturday[0]?.start).toBe('2026-10-24T08:00:00+01:00');
    expect(saturday.at(-1)?.end).toBe('2026-10-24T20:00:00+01:00');
    expect(sunday[0]?.start).toBe('2026-10-25T08:00:00+00:00');
    expect(sunday.at(-1)?.end).toBe('2026-10-25T20:00:00+00:00');
    expect(sunday).toHaveLength(48);
    expectContiguous(sunday, 15);
  });

  test('when the out-of-hours GP runs through the March change, then the 01:00 hour is skipped and nothing else is missing or repeated', () => {
    const ooh = bundledService('westmere-out-of-hours-gp');

    const slots = allSlots(ooh, '2027-03-27T22:00:00Z', '2027-03-28T03:00:00Z');

    expect(slots.map((s) => wallClock(s.start))).toEqual(
      [
        ...['22:00', '22:15', '22:30', '22:45', '23:00', '23:15', '23:30', '23:45'],
        ...['00:00', '00:15', '00:30', '00:45'],
      ]
        .map((t) => `${t}+00:00`)
        .concat(
          ['02:00', '02:15', '02:30', '02:45', '03:00', '03:15', '03:30', '03:45', '04:00'].map(
            (t) => `${t}+01:00`,
          ),
        ),
    );
    expect(slots[11]).toMatchObject({
      start: '2027-03-28T00:45:00+00:00',
      end: '2027-03-28T02:00:00+01:00',
    });
    expectContiguous(slots, 15);
  });

  test('when the out-of-hours GP runs through the October change, then the 01:00 hour is offered twice, once in BST and once in GMT, with no overlap', () => {
    const ooh = bundledService('westmere-out-of-hours-gp');

    const slots = allSlots(ooh, '2026-10-24T23:00:00Z', '2026-10-25T03:00:00Z');
    const times = slots.map((s) => wallClock(s.start));

    expect(times).toEqual([
      ...['00:00', '00:15', '00:30', '00:45', '01:00', '01:15', '01:30', '01:45'].map(
        (t) => `${t}+01:00`,
      ),
      ...['01:00', '01:15', '01:30', '01:45', '02:00', '02:15', '02:30', '02:45', '03:00'].map(
        (t) => `${t}+00:00`,
      ),
    ]);
    expect(slots[7]).toMatchObject({
      start: '2026-10-25T01:45:00+01:00',
      end: '2026-10-25T01:00:00+00:00',
    });
    expectContiguous(slots, 15);
  });

  test.each([
    ['March', '2027-03-27', '2027-03-28T08:00:00+01:00', 50],
    ['October', '2026-10-24', '2026-10-25T08:00:00+00:00', 58],
  ])(
    'when a Saturday-night-only 18:30 to 08:00 session spans the %s change, then it opens 18:30 and closes 08:00 local with one hour fewer or more of slots',
    (_change, saturday, lastEnd, count) => {
      const service = aService({
        openingHours: hoursOn(['sat'], [{ open: '18:30', close: '08:00' }]),
      });

      const slots = allSlots(service, `${saturday}T00:00:00Z`, `${saturday}T23:59:00Z`);
      const night = allSlots(service, `${saturday}T00:00:00Z`, lastEnd);

      expect(slots[0]?.start.slice(11)).toMatch(/^18:30:00/);
      expect(night.at(-1)?.end).toBe(lastEnd);
      expect(night).toHaveLength(count); // 54 on an ordinary night (13.5 h of 15 minutes)
      expectContiguous(night, 15);
    },
  );

  test.each([
    ['2027-03-28', '2027-03-21', -1],
    ['2026-10-25', '2026-10-18', 1],
  ])(
    'when every bookable service is compared on the change day %s and the Sunday before, then only the 01:00 hour differs',
    (changeDay, ordinarySunday, extra) => {
      const labels = (service: Service, day: string) =>
        slotsBetween(
          service,
          Date.parse(`${day}T00:00:00Z`) - 7_200_000,
          Date.parse(`${day}T23:59:59Z`) + 7_200_000,
        )
          .filter((s) => s.start.startsWith(day))
          .map((s) => s.start.slice(11, 16));
      const hasException = (service: Service) =>
        service.exceptions.some((e) => e.date === changeDay || e.date === ordinarySunday);

      for (const service of westmere().filter((s) => s.bookable && !hasException(s))) {
        const change = labels(service, changeDay);
        const ordinary = labels(service, ordinarySunday);
        const oneAm = ordinary.filter((t) => t.startsWith('01:'));
        const expected =
          extra < 0 ? ordinary.filter((t) => !t.startsWith('01:')) : [...ordinary, ...oneAm].sort();

        expect([...change].sort(), service.id).toEqual(expected.sort());
      }
    },
  );

  test('when slots are generated over both change months for every bookable service, then each lasts exactly its slot length and none overlap', () => {
    for (const service of westmere().filter((s) => s.bookable)) {
      for (const [from, to] of [
        ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'],
        ['2027-03-01T00:00:00Z', '2027-04-01T00:00:00Z'],
      ] as const) {
        const slots = slotsBetween(service, Date.parse(from), Date.parse(to));
        let previousEnd = -Infinity;
        for (const slot of slots) {
          expect(slot.endMs - slot.startMs).toBe((service.slotMinutes ?? 0) * MINUTE);
          expect(Date.parse(slot.start)).toBe(slot.startMs);
          expect(slot.startMs).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = slot.endMs;
        }
      }
    }
  });
});

describe('findSlots and the disposition time frame', () => {
  test("when GP_2H is searched at 17:00 on a Friday and the practices are full, then the out-of-hours GP is offered from 18:30, not next week's GP", () => {
    const booked = (serviceId: string) => (serviceId === 'westmere-out-of-hours-gp' ? 0 : 99);

    const result = findSlots(westmere(), searchFor('GP_2H', '2027-01-15T17:00:00Z', { booked }));

    expect(result).toEqual({
      ok: true,
      deadline: '2027-01-15T19:00:00Z',
      slots: [
        ['18:30', '18:45'],
        ['18:45', '19:00'],
        ['19:00', '19:15'],
      ].map(([start = '', end = '']) => ({
        serviceId: 'westmere-out-of-hours-gp',
        start: `2027-01-15T${start}:00+00:00`,
        end: `2027-01-15T${end}:00+00:00`,
        remaining: 2,
      })),
    });
  });

  test('when GP_2H is searched at 17:00 on a Friday, then every slot offered starts by 19:00 the same evening', () => {
    const slots = slotsOf(
      findSlots(westmere(), searchFor('GP_2H', '2027-01-15T17:00:00Z', { limit: 1000 })),
    );

    expect(new Set(slots.map((s) => s.serviceId))).toEqual(
      new Set([
        'harbour-lane-surgery',
        'millbrook-medical-practice',
        'westmere-park-health-centre',
        'westmere-out-of-hours-gp',
      ]),
    );
    expect(slots.at(-1)?.start).toBe('2027-01-15T19:00:00+00:00');
    for (const slot of slots) {
      expect(Date.parse(slot.start)).toBeLessThanOrEqual(Date.parse('2027-01-15T19:00:00Z'));
    }
  });

  test('when a time frame is P1D across the October change, then it is 24 elapsed hours', () => {
    const result = findSlots(westmere(), searchFor('GP_24H', '2026-10-24T12:00:00Z'));

    expect(result).toMatchObject({ ok: true, deadline: '2026-10-25T12:00:00Z' });
  });

  test('when nothing can be booked in time, then the result says none-in-timeframe with the earliest slot beyond it', () => {
    const result = findSlots([aPractice()], searchFor('GP_2H', '2027-01-15T16:50:00Z'));

    expect(result).toEqual({
      ok: false,
      reason: 'none-in-timeframe',
      deadline: '2027-01-15T18:50:00Z',
      earliestBeyond: {
        serviceId: 'test-practice',
        start: '2027-01-18T09:00:00+00:00',
        end: '2027-01-18T09:15:00+00:00',
        remaining: 1,
      },
    });
  });

  test('when nothing is free within the look-ahead either, then none-in-timeframe has no earliest slot', () => {
    const result = findSlots(
      [aPractice()],
      searchFor('GP_2H', '2027-01-15T16:50:00Z', { lookAheadDays: 2 }),
    );

    expect(result).toEqual({
      ok: false,
      reason: 'none-in-timeframe',
      deadline: '2027-01-15T18:50:00Z',
    });
  });

  test('when no bookable service accepts the disposition, then the result is none-in-timeframe (A&E is not booked)', () => {
    const result = findSlots(westmere(), searchFor('ED_1H', '2027-01-13T10:00:00Z'));

    expect(result).toEqual({
      ok: false,
      reason: 'none-in-timeframe',
      deadline: '2027-01-13T11:00:00Z',
    });
  });

  test.each([
    ['CALL_999', 'PT0S'],
    ['ROUTINE_GP', 'no time frame'],
    ['PHARMACY_ADVICE', 'no time frame'],
  ])('when the disposition is %s (%s), then it is not bookable', (code) => {
    expect(findSlots(westmere(), searchFor(code, '2027-01-13T10:00:00Z'))).toEqual({
      ok: false,
      reason: 'not-bookable',
    });
  });

  test('when the time frame is not an ISO duration or the limit is below 1, then it is an invalid-input error', () => {
    const bad = (query: Partial<SlotQuery>) => () =>
      findSlots(westmere(), { ...searchFor('GP_2H', '2027-01-13T10:00:00Z'), ...query });

    expect(bad({ timeframe: 'two hours' })).toThrow(/ISO 8601/);
    expect(bad({ limit: 0 })).toThrow(/limit/);
    try {
      bad({ timeframe: '2h' })();
    } catch (error) {
      expect(isAppError(error) && error.code).toBe('invalid-input');
    }
  });

  test('when CLINICIAN_2H is searched at 03:00, then the call-back service offers the next quarter hour', () => {
    const slots = slotsOf(findSlots(westmere(), searchFor('CLINICIAN_2H', '2027-01-13T03:05:00Z')));

    expect(slots[0]).toMatchObject({
      serviceId: 'westmere-clinical-assessment-service',
      start: '2027-01-13T03:15:00+00:00',
      remaining: 3,
    });
  });
});

describe('findSlots and capacity', () => {
  const practice = aPractice({ capacityPerSlot: 2 });
  const now = '2027-01-13T09:00:00Z';

  test('when a slot has fewer bookings than its capacity, then it is offered with the places left', () => {
    const booked = (_id: string, start: string) => (start === '2027-01-13T09:00:00+00:00' ? 1 : 0);

    const slots = slotsOf(findSlots([practice], searchFor('GP_2H', now, { booked, limit: 1 })));

    expect(slots).toEqual([
      expect.objectContaining({ start: '2027-01-13T09:00:00+00:00', remaining: 1 }),
    ]);
  });

  test('when bookings reach capacityPerSlot, then the slot is not offered and the next one is', () => {
    const booked = (_id: string, start: string) => (start === '2027-01-13T09:00:00+00:00' ? 2 : 0);

    const slots = slotsOf(findSlots([practice], searchFor('GP_2H', now, { booked, limit: 1 })));

    expect(slots[0]?.start).toBe('2027-01-13T09:15:00+00:00');
  });

  test('when the booked count is asked for, then it is asked with the service id and the exact slot start offered', () => {
    const asked: [string, string][] = [];
    const booked = (id: string, start: string) => {
      asked.push([id, start]);
      return 0;
    };

    const slots = slotsOf(findSlots([practice], searchFor('GP_2H', now, { booked, limit: 2 })));

    expect(asked).toEqual(slots.map((s) => [s.serviceId, s.start]));
  });

  test('when every slot in the time frame is full, then the earliest beyond skips full slots too', () => {
    const booked = (_id: string, start: string) => (start < '2027-01-13T11:30' ? 2 : 0);

    const result = findSlots([practice], searchFor('GP_2H', now, { booked }));

    expect(result).toMatchObject({
      ok: false,
      reason: 'none-in-timeframe',
      earliestBeyond: { start: '2027-01-13T11:30:00+00:00' },
    });
  });
});

describe('isOpenAt', () => {
  const ooh = () => bundledService('westmere-out-of-hours-gp');

  test.each([
    ['2027-01-12T02:00:00Z', true, "Tuesday 02:00, in Monday night's session"],
    ['2027-01-12T12:00:00Z', false, 'Tuesday noon'],
    ['2027-01-12T18:30:00Z', true, 'Tuesday 18:30, as it opens'],
    ['2027-01-12T08:00:00Z', false, 'Tuesday 08:00, as it closes'],
    ['2027-01-16T12:00:00Z', true, 'Saturday noon'],
    ['2027-01-18T07:59:00Z', true, 'Monday 07:59, the end of the weekend'],
  ])('when the out-of-hours GP is asked about %s, then it is %s (%s)', (at, open) => {
    expect(isOpenAt(ooh(), new Date(at))).toBe(open);
  });
});
