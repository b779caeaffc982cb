/**
 * UK mobile numbers for SMS (clinical.md §6.3). We store E.164 (+447xxxxxxxxx) so one person
 * written three ways is still one person, and refuse numbers that cannot receive our texts.
 */

/**
 * Everything people put between digits: spaces, dashes, dots, brackets. Dropping the brackets of
 * "+44 (0)7700 900123" leaves "+4407700900123", whose stray trunk 0 is removed below.
 */
const SEPARATORS = /[\s\-.()]/g;

/** The national significant number (without trunk 0), or undefined if not UK-shaped. */
function nationalNumber(compact: string): string | undefined {
  let rest: string;
  if (compact.startsWith('+44')) {
    rest = compact.slice(3);
  } else if (compact.startsWith('0044')) {
    rest = compact.slice(4);
  } else if (compact.startsWith('44')) {
    rest = compact.slice(2);
  } else if (compact.startsWith('0')) {
    return compact.slice(1);
  } else {
    return undefined;
  }
  // "+44 (0)7700 900123" or "+4407700 900123": a trunk 0 written after the country code.
  return rest.startsWith('0') ? rest.slice(1) : rest;
}

/**
 * A UK mobile in E.164 form, or undefined. Accepts 07…, +447…, 00447…, 447… and +44 (0)7…,
 * with spaces, dashes, dots or brackets. Refuses landlines, 070 (personal numbering, often
 * premium-rate forwarding) and 076 pagers, except 07624 (Isle of Man mobiles).
 */
export function normaliseUkMobile(value: string): string | undefined {
  const trimmed = value.trim();
  if (!/^\+?[\d\s\-.()]+$/.test(trimmed)) {
    return undefined;
  }
  const compact = trimmed.replace(SEPARATORS, '');
  const nsn = nationalNumber(compact);
  if (nsn === undefined || !/^7\d{9}$/.test(nsn)) {
    return undefined;
  }
  if (nsn.startsWith('70') || (nsn.startsWith('76') && !nsn.startsWith('7624'))) {
    return undefined;
  }
  return `+44${nsn}`;
}
