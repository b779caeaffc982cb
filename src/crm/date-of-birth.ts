import { AppError } from '../shared/index.js';

/**
 * Dates of birth are calendar dates ("YYYY-MM-DD"), not instants: a birthday does not move with
 * the time zone. "Today" is read as the calendar date in the UK, where the service runs, so an
 * age does not flip an hour early or late around midnight in summer time.
 */

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Nobody we triage was born before this; older dates are typing mistakes.
const OLDEST_AGE_YEARS = 130;

const ukDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function parseCalendarDate(value: string): CalendarDate | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) {
    return undefined;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC rolls 2023-02-30 over to 2 March; a round trip catches days that do not exist.
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day
  ) {
    return undefined;
  }
  return { year, month, day };
}

function ukCalendarDate(on: Date): CalendarDate {
  const parts = ukDate.formatToParts(on);
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function completedYears(birth: CalendarDate, today: CalendarDate): number {
  const hadBirthday =
    today.month > birth.month || (today.month === birth.month && today.day >= birth.day);
  return today.year - birth.year - (hadBirthday ? 0 : 1);
}

/** A real calendar date, not in the future and not implausibly long ago. */
export function isValidDateOfBirth(value: string, today: Date): boolean {
  const birth = parseCalendarDate(value);
  if (!birth) {
    return false;
  }
  const now = ukCalendarDate(today);
  return compare(birth, now) <= 0 && completedYears(birth, now) <= OLDEST_AGE_YEARS;
}

/**
 * Completed years of age on the given day. Someone born on 29 February turns a year older on
 * 1 March in common years, as in UK law. Throws on a date that is not YYYY-MM-DD, because an age
 * from a malformed date would be a silent clinical error.
 */
export function ageInYears(dateOfBirth: string, on: Date): number {
  const birth = parseCalendarDate(dateOfBirth);
  if (!birth) {
    // The value stays out of the message: error messages end up in logs.
    throw new AppError('invalid-input', 'date of birth is not a calendar date (YYYY-MM-DD)');
  }
  return completedYears(birth, ukCalendarDate(on));
}
