import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * Service types of the API contract. The same list lives in src/triage/disposition.ts; booking
 * may not import triage (ARCHITECTURE.md), so test/booking/bundled-services.test.ts checks that
 * the two lists stay equal.
 */
export const SERVICE_TYPES = [
  'ambulance',
  'emergency-department',
  'urgent-treatment-centre',
  'gp',
  'gp-out-of-hours',
  'clinician-callback',
  'pharmacy',
  'dental',
  'optometrist',
  'mental-health-crisis',
  'maternity',
  'sexual-health',
  'self-care',
] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/**
 * Types we only ever signpost: the patient calls 999 or walks into A&E, and self-care has no
 * service. A file of one of these types that says `bookable: true` is rejected.
 */
export const NEVER_BOOKABLE: readonly ServiceType[] = [
  'ambulance',
  'emergency-department',
  'self-care',
];

/** Weekday keys of `openingHours`, Monday first (ISO weekday 1..7). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const Text = z.string().trim().min(1);

const OpenTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'a 24-hour local time such as 08:00 or 18:30')
  .describe('Local time the session opens, HH:MM (00:00 to 23:59).');

const CloseTime = z
  .string()
  .regex(
    /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/,
    'a 24-hour local time such as 18:30, or 24:00 for midnight at the end of the day',
  )
  .describe(
    'Local time the session closes, HH:MM. 24:00 is midnight at the end of the day. A time at ' +
      'or before the opening time means the next morning (an overnight session, e.g. 18:30 to 08:00).',
  );

export const SessionSchema = z
  .strictObject({ open: OpenTime, close: CloseTime })
  .refine((s) => s.open !== s.close, {
    message: 'open and close are the same time; for a whole day write 00:00 to 24:00',
    path: ['close'],
  })
  .describe(
    'One opening session, starting on the day it is listed under. Sessions may overlap; ' +
      'slots are never offered twice for the same time.',
  );
export type Session = z.infer<typeof SessionSchema>;

const Sessions = z.array(SessionSchema);

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date written YYYY-MM-DD')
  .refine((d) => DateTime.fromISO(d, { zone: 'utc' }).isValid, 'not a date on the calendar');

const ClosedDay = z
  .strictObject({
    date: IsoDate,
    closed: z.literal(true),
    note: Text.optional().describe('Why: "Christmas Day", "staff training".'),
  })
  .describe('Closed all day: no session opens on this date.');

const ChangedDay = z
  .strictObject({
    date: IsoDate,
    hours: Sessions.min(1).describe('The sessions that open on this date, instead of the usual.'),
    note: Text.optional().describe('Why: "Easter Monday", "bank holiday hours".'),
  })
  .describe('Different hours on this date (bank holiday hours).');

export const DayExceptionSchema = z.union([ClosedDay, ChangedDay]);
export type DayException = z.infer<typeof DayExceptionSchema>;

export const OpeningHoursSchema = z
  .strictObject(
    Object.fromEntries(
      WEEKDAYS.map((day) => [day, Sessions.describe(`Sessions opening on ${day}; [] = closed.`)]),
    ) as Record<Weekday, typeof Sessions>,
  )
  .describe('The usual week, in the service time zone. Every day is listed; [] means closed.');
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

const DispositionCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'a disposition code from data/dispositions.yaml, e.g. GP_2H');

export const ServiceSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by hyphens')
      .describe('Stable identifier; the file is data/services/<id>.yaml.'),
    name: Text.describe('The name patients see: "Westmere Urgent Treatment Centre".'),
    type: z.enum(SERVICE_TYPES).describe('Service type of the API contract.'),
    address: z.array(Text).min(1).describe('Address lines, without the postcode.'),
    postcode: z
      .string()
      .regex(/^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/, 'a UK postcode in capitals with one space'),
    phone: z
      .string()
      .regex(
        /^(?:0\d{2,4} ?\d{3,4} ?\d{3,4}|111|999)$/,
        'a UK number such as 01632 960123, or 111 / 999',
      )
      .describe('Phone number patients call.'),
    timeZone: z
      .string()
      .refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone such as Europe/London')
      .default('Europe/London')
      .describe('Time zone of the opening hours.'),
    openingHours: OpeningHoursSchema,
    exceptions: z
      .array(DayExceptionSchema)
      .default([])
      .describe(
        'Dates with other hours (bank holidays). Replaces the sessions that open on that date; ' +
          'an overnight session from the day before still runs into the morning.',
      ),
    bookable: z
      .boolean()
      .describe('Whether we offer and book slots here; false = signposting only (A&E, 999).'),
    slotMinutes: z
      .int()
      .min(5)
      .max(60)
      .refine((n) => 60 % n === 0, 'a length that divides an hour: 5, 10, 15, 20, 30 or 60')
      .optional()
      .describe(
        'Slot length in minutes. It divides an hour so slots keep the same clock times after a ' +
          'clock change. Required when bookable.',
      ),
    capacityPerSlot: z
      .int()
      .min(1)
      .optional()
      .describe('Patients who can be booked into one slot. Required when bookable.'),
    accepts: z
      .array(DispositionCode)
      .describe('Disposition codes this service can see patients for (booked or signposted).'),
  })
  .superRefine((service, ctx) => {
    if (service.bookable && NEVER_BOOKABLE.includes(service.type)) {
      ctx.addIssue({
        code: 'custom',
        path: ['bookable'],
        message: `a ${service.type} service is never booked (signposting only): set bookable: false`,
      });
    }
    if (service.bookable && service.slotMinutes === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['slotMinutes'],
        message: 'a bookable service needs slotMinutes',
      });
    }
    if (service.bookable && service.capacityPerSlot === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['capacityPerSlot'],
        message: 'a bookable service needs capacityPerSlot',
      });
    }
    service.accepts.forEach((code, i) => {
      if (service.accepts.indexOf(code) !== i) {
        ctx.addIssue({ code: 'custom', path: ['accepts', i], message: `${code} is listed twice` });
      }
    });
    const dates = service.exceptions.map((e) => e.date);
    dates.forEach((date, i) => {
      if (dates.indexOf(date) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['exceptions', i, 'date'],
          message: `${date} is listed twice; give one entry per date`,
        });
      }
    });
  })
  .describe('One service of the directory: where it is, when it is open, what it accepts.');

export type Service = z.output<typeof ServiceSchema>;
/** A service file as written, before defaults (timeZone, exceptions) are filled in. */
export type ServiceInput = z.input<typeof ServiceSchema>;

/** The JSON Schema editors use to autocomplete service files (data/services/service.schema.json). */
export function serviceJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ServiceSchema, { io: 'input' }),
    title: 'Digital 111 service directory entry',
  };
}
