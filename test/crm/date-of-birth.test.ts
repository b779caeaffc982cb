import { describe, expect, test } from 'vitest';
import { ageInYears, isValidDateOfBirth } from '../../src/crm/index.js';

describe('ageInYears', () => {
  test.each([
    ['2000-06-15', '2025-06-15T10:00:00Z', 25, 'on the birthday'],
    ['2000-06-15', '2025-06-14T10:00:00Z', 24, 'the day before the birthday'],
    ['2000-06-15', '2025-12-31T10:00:00Z', 25, 'later in the year'],
    ['2025-06-15', '2025-06-15T10:00:00Z', 0, 'born today'],
    ['2004-02-29', '2025-02-28T12:00:00Z', 20, 'a leap-day birthday, 28 Feb of a common year'],
    ['2004-02-29', '2025-03-01T12:00:00Z', 21, 'a leap-day birthday, 1 March of a common year'],
    ['2004-02-29', '2028-02-29T12:00:00Z', 24, 'a leap-day birthday in a leap year'],
    ['2000-06-15', '2025-06-14T23:30:00Z', 25, '00:30 in London (summer time) is already the 15th'],
    ['2000-01-15', '2025-01-14T23:30:00Z', 24, '23:30 in London (winter) is still the 14th'],
  ])('when born %s, then on %s the age is %i (%s)', (dob, on, expected) => {
    expect(ageInYears(dob, new Date(on))).toBe(expected);
  });

  test.each([['15/06/2000'], ['2000-02-30'], ['2000-6-15'], ['born in June']])(
    'when the date of birth is %j, then it throws invalid-input without echoing the value',
    (dob) => {
      const attempt = (): number => ageInYears(dob, new Date('2025-06-15T10:00:00Z'));

      expect(attempt).toThrow(expect.objectContaining({ code: 'invalid-input' }));
      expect(attempt).not.toThrow(dob);
    },
  );
});

describe('isValidDateOfBirth', () => {
  const today = new Date('2025-06-15T10:00:00Z');

  test.each([['1980-01-31'], ['2025-06-15'], ['2024-02-29'], ['1900-01-01']])(
    'when the date is %s, then it is valid',
    (value) => {
      expect(isValidDateOfBirth(value, today)).toBe(true);
    },
  );

  test.each([
    ['2025-06-16', 'tomorrow'],
    ['2030-01-01', 'the future'],
    ['2023-02-29', 'not a leap year'],
    ['2025-13-01', 'month 13'],
    ['2025-04-31', '31 April'],
    ['1850-01-01', 'over 130 years ago'],
    ['15/06/1980', 'the UK written form'],
    ['1980-06-15T00:00:00Z', 'a timestamp'],
    ['', 'nothing'],
  ])('when the date is %j (%s), then it is invalid', (value) => {
    expect(isValidDateOfBirth(value, today)).toBe(false);
  });
});
