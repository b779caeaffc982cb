import { describe, expect, test } from 'vitest';
import { normaliseUkMobile } from '../../src/crm/index.js';

describe('normaliseUkMobile (clinical.md §6.3)', () => {
  test.each([
    ['07700 900123', 'national with a space'],
    ['07700900123', 'national'],
    ['+447700900123', 'E.164 already'],
    ['+44 7700 900123', 'international with spaces'],
    ['+44 (0)7700 900123', 'the mis-written (0)'],
    ['+44(0)7700-900-123', '(0) with dashes'],
    ['+4407700900123', 'a stray trunk 0 after +44'],
    ['0044 7700 900123', 'the 0044 prefix'],
    ['00447700900123', 'the 0044 prefix, compact'],
    ['0044 (0)7700 900123', '0044 with (0)'],
    ['447700900123', '44 without the plus'],
    ['07700.900.123', 'dots'],
    ['(07700) 900123', 'brackets round the area'],
    ['  07700 900 123  ', 'surrounding spaces'],
  ])('when given %j (%s), then it is +447700900123', (value) => {
    expect(normaliseUkMobile(value)).toBe('+447700900123');
  });

  test.each([
    ['07123 456789', '+447123456789', '071'],
    ['07400 123456', '+447400123456', '074'],
    ['07500 123456', '+447500123456', '075'],
    ['07812 345678', '+447812345678', '078'],
    ['07912 345678', '+447912345678', '079'],
    ['07624 123456', '+447624123456', '07624 (Isle of Man), the one 076 mobile range'],
  ])('when given %j, then it is %s (%s)', (value, expected) => {
    expect(normaliseUkMobile(value)).toBe(expected);
  });

  test.each([
    ['07012 345678', '070 personal numbering'],
    ['+44 7012 345678', '070 in international form'],
    ['07600 123456', '076 pagers'],
    ['07623 123456', '076 other than 07624'],
    ['020 7946 0000', 'a London landline'],
    ['01632 960000', 'a geographic landline'],
    ['+44 20 7946 0000', 'a landline in international form'],
    ['0800 123 4567', 'a freephone number'],
    ['0770090012', 'too short'],
    ['077009001234', 'too long'],
    ['+33 6 12 34 56 78', 'a French mobile'],
    ['+1 202 555 0100', 'a US number'],
    ['7700900123', 'no trunk 0 and no country code'],
    ['07700 9OO123', 'letters for zeros'],
    ['07700+900123', 'a plus in the middle'],
    ['', 'nothing'],
  ])('when given %j (%s), then it is refused', (value) => {
    expect(normaliseUkMobile(value)).toBeUndefined();
  });
});
