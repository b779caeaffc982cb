import { describe, expect, test } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from '../../src/crm/index.js';

describe('isValidNhsNumber (Modulus 11, clinical.md §6.2)', () => {
  test.each([
    ['9434765919', 'the worked example'],
    ['9990000018', 'test range 999 000 0018'],
    ['9990000026', 'test range 999 000 0026'],
    ['9000000009', 'the NHS sandbox number'],
    ['9434765900', 'a remainder of 0 (check digit 11 becomes 0)'],
  ])('when the number is %s (%s), then it is valid', (value) => {
    expect(isValidNhsNumber(value)).toBe(true);
  });

  test.each([
    ['9434765918', 'the last digit changed'],
    ['4934765919', 'the first two digits swapped'],
    ['9434765991', 'the last two digits swapped'],
    ['1234567890', 'a check digit of 10 (never issued), ending 0'],
    ['1234567891', 'a check digit of 10, ending 1'],
    ['4010000043', 'another prefix whose check digit would be 10'],
    ['0000000000', 'one repeated digit (passes the arithmetic, never issued)'],
    ['1111111111', 'one repeated digit'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943476591X', 'a letter'],
    ['', 'nothing'],
    ['943 476 5919 ext', 'trailing words'],
  ])('when the number is %j (%s), then it is invalid', (value) => {
    expect(isValidNhsNumber(value)).toBe(false);
  });
});

describe('normaliseNhsNumber', () => {
  test.each([
    ['943 476 5919', '9434765919'],
    ['943-476-5919', '9434765919'],
    ['  9434765919  ', '9434765919'],
    ['943 476-5919', '9434765919'],
    ['999\t000\t0018', '9990000018'],
  ])('when given %j, then it returns the ten digits %s', (value, expected) => {
    expect(normaliseNhsNumber(value)).toBe(expected);
  });

  test.each([['943 476 5918'], ['943.476.5919'], ['+9434765919'], ['abc']])(
    'when given %j, then it returns undefined',
    (value) => {
      expect(normaliseNhsNumber(value)).toBeUndefined();
    },
  );
});

describe('formatNhsNumber', () => {
  test.each([
    ['9434765919', '943 476 5919'],
    ['943-476-5919', '943 476 5919'],
    ['9990000018', '999 000 0018'],
  ])('when given %j, then it displays as %j (3-3-4)', (value, expected) => {
    expect(formatNhsNumber(value)).toBe(expected);
  });

  test('when given something that is not ten digits, then it is returned unchanged', () => {
    expect(formatNhsNumber('12345')).toBe('12345');
  });
});
