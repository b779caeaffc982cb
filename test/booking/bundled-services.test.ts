import { DateTime } from 'luxon';
import { describe, expect, test } from 'vitest';
import {
  checkServiceFileName,
  isOpenAt,
  SERVICE_TYPES,
  ServiceDirectory,
} from '../../src/booking/index.js';
import { SERVICE_TYPES as CONTRACT_SERVICE_TYPES } from '../../src/triage/index.js';
import { bundledService, bundledServices, dispositions, serviceFiles } from './load-services.js';

/**
 * England and Wales bank holidays worked out from the rules, independently of the data files:
 * New Year's Day, Good Friday, Easter Monday, the first and last Mondays of May, the last
 * Monday of August, Christmas Day and Boxing Day, with weekend days moved to the next weekdays.
 */
function bankHolidays(year: number): string[] {
  const date = (month: number, day: number) => DateTime.utc(year, month, day);
  const nextWeekday = (d: DateTime) => (d.weekday > 5 ? d.plus({ days: 8 - d.weekday }) : d);
  const firstMonday = (month: number) => nextWeekdayOf(date(month, 1), 1);
  const lastMonday = (month: number) => {
    const last = date(month, 1).endOf('month').startOf('day');
    return last.minus({ days: (last.weekday + 6) % 7 });
  };
  const easter = easterSunday(year);
  const christmas: DateTime[] = [];
  for (let d = date(12, 25); christmas.length < 2; d = d.plus({ days: 1 })) {
    if (d.weekday <= 5) {
      christmas.push(d);
    }
  }
  return [
    nextWeekday(date(1, 1)),
    easter.minus({ days: 2 }),
    easter.plus({ days: 1 }),
    firstMonday(5),
    lastMonday(5),
    lastMonday(8),
    ...christmas,
  ].map((d) => d.toISODate() ?? '');
}

function nextWeekdayOf(d: DateTime, weekday: number): DateTime {
  return d.plus({ days: (weekday - d.weekday + 7) % 7 });
}

/** Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): DateTime {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return DateTime.utc(year, month, day);
}

const BANK_HOLIDAYS = [...bankHolidays(2026), ...bankHolidays(2027)];

function directory(): ServiceDirectory {
  return new ServiceDirectory(bundledServices().map((s) => s.service));
}

describe('bundled service directory (data/services)', () => {
  test('when every file of data/services is parsed, then each is a valid service named after its id', () => {
    const files = serviceFiles();

    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const { file, service } of bundledServices()) {
      expect(checkServiceFileName(file, service), file).toBeUndefined();
    }
  });

  test('when accepts codes are checked against data/dispositions.yaml, then every code exists and no id repeats', () => {
    const known = dispositions().map((d) => d.code);

    expect(directory().check(known)).toEqual([]);
  });

  test('when booking lists the service types, then they are the contract list of triage', () => {
    expect([...SERVICE_TYPES]).toEqual([...CONTRACT_SERVICE_TYPES]);
  });

  test('when the demo area is listed, then it has the mix of services issue 5 asks for', () => {
    const count = (type: string) =>
      directory()
        .all()
        .filter((s) => s.type === type).length;

    expect(count('emergency-department')).toBe(1);
    expect(count('urgent-treatment-centre')).toBe(1);
    expect(count('gp-out-of-hours')).toBe(1);
    expect(count('gp')).toBe(3);
    expect(count('pharmacy')).toBe(4);
    expect(count('dental')).toBe(1);
    expect(count('sexual-health')).toBe(1);
    expect(count('mental-health-crisis')).toBe(1);
    expect(count('clinician-callback')).toBe(1);
  });

  test('when a disposition has a place to go, then some service lists it (999, call-111-now and self-care have none)', () => {
    const noPlace = new Set(['CALL_999', 'CLINICIAN_NOW', 'SELF_CARE']);
    const dir = directory();

    for (const { code } of dispositions().filter((d) => !noPlace.has(d.code))) {
      expect(dir.accepting(code).length, code).toBeGreaterThan(0);
    }
    for (const code of noPlace) {
      expect(dir.accepting(code), code).toEqual([]);
    }
  });

  test('when an urgent or non-urgent disposition has a time frame, then a bookable service accepts it', () => {
    const dir = directory();
    const bookable = dispositions().filter(
      (d) => d.timeframe && (d.category === 'urgent' || d.category === 'non-urgent'),
    );

    expect(bookable.map((d) => d.code)).toContain('GP_2H');
    for (const { code } of bookable) {
      expect(
        dir.accepting(code).some((s) => s.bookable),
        code,
      ).toBe(true);
    }
  });

  test('when a disposition is an emergency, then no bookable service accepts it (the patient calls or goes now)', () => {
    const dir = directory();

    for (const { code } of dispositions().filter((d) => d.category === 'emergency')) {
      expect(
        dir.accepting(code).filter((s) => s.bookable),
        code,
      ).toEqual([]);
    }
  });

  test('when A&E, the crisis line and the maternity unit are listed, then they are open 24/7 and never bookable', () => {
    for (const id of [
      'westmere-general-hospital-ed',
      'westmere-mental-health-crisis-line',
      'westmere-maternity-assessment-unit',
    ]) {
      const service = bundledService(id);
      expect(service.bookable, id).toBe(false);
      expect(isOpenAt(service, new Date('2026-12-25T03:00:00Z')), id).toBe(true);
    }
  });

  test('when the phone numbers are read, then each is in the 01632 960xxx drama range', () => {
    for (const service of directory().all()) {
      expect(service.phone, service.id).toMatch(/^01632 960\d{3}$/);
    }
  });

  test('when the England and Wales bank holidays of 2026 and 2027 are worked out from the rules, then they are the 16 dates the files use', () => {
    expect(BANK_HOLIDAYS).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
      '2027-01-01',
      '2027-03-26',
      '2027-03-29',
      '2027-05-03',
      '2027-05-31',
      '2027-08-30',
      '2027-12-27',
      '2027-12-28',
    ]);
  });

  test('when it is a bank holiday, then every GP practice is closed all day and the out-of-hours GP is open all day', () => {
    const practices = directory().ofType('gp');
    const ooh = bundledService('westmere-out-of-hours-gp');

    for (const day of BANK_HOLIDAYS) {
      for (const hour of [0, 9, 12, 17, 23]) {
        const at = DateTime.fromISO(day, { zone: 'Europe/London' }).set({ hour }).toJSDate();
        for (const practice of practices) {
          expect(isOpenAt(practice, at), `${practice.id} ${day} ${hour}:00`).toBe(false);
        }
        expect(isOpenAt(ooh, at), `out-of-hours ${day} ${hour}:00`).toBe(true);
      }
    }
  });

  test('when a service closes or changes hours on a bank holiday, then the date is a real bank holiday or a named Christmas, Boxing Day or Easter date', () => {
    const otherDays = new Set([
      '2026-04-05',
      '2026-12-26',
      '2027-03-28',
      '2027-12-25',
      '2027-12-26',
    ]);

    for (const service of directory().all()) {
      for (const exception of service.exceptions) {
        expect(
          BANK_HOLIDAYS.includes(exception.date) || otherDays.has(exception.date),
          `${service.id} ${exception.date}`,
        ).toBe(true);
      }
    }
  });
});
