import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ServiceSchema, serviceJsonSchema, type ServiceInput } from '../../src/booking/index.js';
import { aService, hoursOn } from './load-services.js';

/** A valid service file as written, to break one field at a time. */
function aServiceFile(overrides: Partial<ServiceInput> = {}): ServiceInput {
  return {
    id: 'harbour-lane-surgery',
    name: 'Harbour Lane Surgery',
    type: 'gp',
    address: ['14 Harbour Lane', 'Westmere'],
    postcode: 'WM3 1AX',
    phone: '01632 960201',
    openingHours: hoursOn(['mon', 'tue', 'wed', 'thu', 'fri'], [{ open: '08:00', close: '18:30' }]),
    bookable: true,
    slotMinutes: 10,
    capacityPerSlot: 1,
    accepts: ['GP_2H'],
    ...overrides,
  };
}

/** The schema's messages for an invalid file, keyed by the path of the field at fault. */
function problems(file: unknown): Record<string, string> {
  const parsed = ServiceSchema.safeParse(file);
  expect(parsed.success).toBe(false);
  return Object.fromEntries(
    (parsed.error?.issues ?? []).map((i) => [i.path.join('.'), i.message] as const),
  );
}

describe('ServiceSchema', () => {
  test('when a service file leaves out timeZone and exceptions, then they default to Europe/London and none', () => {
    const service = ServiceSchema.parse(aServiceFile());

    expect(service.timeZone).toBe('Europe/London');
    expect(service.exceptions).toEqual([]);
  });

  test('when a session closes at or before it opens, then it is an overnight session and is valid', () => {
    const service = aService({
      openingHours: hoursOn(['mon'], [{ open: '18:30', close: '08:00' }]),
    });

    expect(service.openingHours.mon).toEqual([{ open: '18:30', close: '08:00' }]);
  });

  test('when a session runs 00:00 to 24:00, then it is valid (a whole day)', () => {
    expect(() =>
      aService({ openingHours: hoursOn(['sun'], [{ open: '00:00', close: '24:00' }]) }),
    ).not.toThrow();
  });

  test.each([
    [{ open: '24:00', close: '08:00' }, 'openingHours.mon.0.open'],
    [{ open: '8:00', close: '18:00' }, 'openingHours.mon.0.open'],
    [{ open: '08:00', close: '18:60' }, 'openingHours.mon.0.close'],
    [{ open: '09:00', close: '09:00' }, 'openingHours.mon.0.close'],
  ])('when a session is %j, then %s is rejected', (session, path) => {
    const file = aServiceFile({ openingHours: hoursOn(['mon'], [session]) });

    expect(Object.keys(problems(file))).toContain(path);
  });

  test('when a weekday is missing or misspelt, then the file is rejected', () => {
    const sixDays: Record<string, unknown> = { ...hoursOn([], []) };
    delete sixDays.sun;

    expect(Object.keys(problems(aServiceFile({ openingHours: sixDays as never })))).toContain(
      'openingHours.sun',
    );
    expect(
      problems(aServiceFile({ openingHours: { ...hoursOn([], []), tues: [] } as never })),
    ).toHaveProperty('openingHours');
  });

  test('when A&E says it is bookable, then the file is rejected: A&E and 999 are signposted only', () => {
    const file = aServiceFile({ type: 'emergency-department' });

    expect(problems(file).bookable).toMatch(/never booked/);
  });

  test('when a bookable service has no slotMinutes or capacityPerSlot, then both are reported', () => {
    const file = aServiceFile({ slotMinutes: undefined, capacityPerSlot: undefined });

    expect(Object.keys(problems(file))).toEqual(
      expect.arrayContaining(['slotMinutes', 'capacityPerSlot']),
    );
  });

  test('when a service is not bookable, then it needs no slot length or capacity', () => {
    const file = aServiceFile({
      type: 'emergency-department',
      bookable: false,
      slotMinutes: undefined,
      capacityPerSlot: undefined,
    });

    expect(ServiceSchema.safeParse(file).success).toBe(true);
  });

  test.each([7, 45, 90, 0])(
    'when slotMinutes is %i, then it is rejected (slots must divide an hour)',
    (slotMinutes) => {
      expect(problems(aServiceFile({ slotMinutes }))).toHaveProperty('slotMinutes');
    },
  );

  test('when the time zone is not an IANA zone, then it is rejected', () => {
    expect(problems(aServiceFile({ timeZone: 'British Summer Time' }))).toHaveProperty('timeZone');
  });

  test('when an exception date is not on the calendar or is listed twice, then it is rejected', () => {
    const notADate = aServiceFile({ exceptions: [{ date: '2027-02-29', closed: true }] });
    const twice = aServiceFile({
      exceptions: [
        { date: '2027-05-03', closed: true },
        { date: '2027-05-03', hours: [{ open: '10:00', close: '14:00' }] },
      ],
    });

    expect(problems(notADate)).toHaveProperty(['exceptions.0.date']);
    expect(problems(twice)['exceptions.1.date']).toMatch(/listed twice/);
  });

  test('when an exception gives hours instead of closing, then it is valid', () => {
    const service = aService({
      exceptions: [{ date: '2026-12-25', hours: [{ open: '10:00', close: '16:00' }] }],
    });

    expect(service.exceptions).toHaveLength(1);
  });

  test('when a disposition code is listed twice or is not UPPER_SNAKE, then it is rejected', () => {
    expect(problems(aServiceFile({ accepts: ['GP_2H', 'GP_2H'] }))['accepts.1']).toMatch(/twice/);
    expect(problems(aServiceFile({ accepts: ['gp-2h'] }))).toHaveProperty(['accepts.0']);
  });

  test.each([
    ['postcode', 'wm3 1ax'],
    ['phone', '+44 1632 960201'],
    ['id', 'Harbour Lane'],
  ] as const)('when %s is %j, then it is rejected', (field, value) => {
    expect(problems(aServiceFile({ [field]: value }))).toHaveProperty(field);
  });
});

describe('service.schema.json', () => {
  test('when the zod schema is exported again, then it equals the committed data/services/service.schema.json', () => {
    const committed: unknown = JSON.parse(
      readFileSync('data/services/service.schema.json', 'utf8'),
    );

    expect(committed).toEqual(serviceJsonSchema());
  });
});
