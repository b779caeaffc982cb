/**
 * NHS numbers (clinical.md §6.2): ten digits whose last digit is a Modulus 11 check digit. Kept
 * as strings everywhere, because leading digits matter and a number is never arithmetic.
 */

const WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2] as const;

/** People type "943 476 5919" or "943-476-5919"; only the digits matter. */
function stripSeparators(value: string): string {
  return value.trim().replace(/[\s-]/g, '');
}

function checkDigit(firstNine: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) {
    sum += Number(firstNine.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  if (check === 11) {
    return 0;
  }
  // A check digit of 10 is never issued, so such a number cannot be real.
  return check === 10 ? undefined : check;
}

/**
 * The canonical ten digits of a valid NHS number, or undefined. Validity is the Modulus 11 check,
 * plus one sanity rule: a number of one repeated digit (0000000000, 1111111111, …) passes the
 * arithmetic but is never issued, and is what people type to get past a form.
 */
export function normaliseNhsNumber(value: string): string | undefined {
  const digits = stripSeparators(value);
  if (!/^\d{10}$/.test(digits) || /^(\d)\1{9}$/.test(digits)) {
    return undefined;
  }
  const expected = checkDigit(digits.slice(0, 9));
  return expected !== undefined && expected === Number(digits.charAt(9)) ? digits : undefined;
}

/** True when the value, ignoring spaces and hyphens, is a valid NHS number. */
export function isValidNhsNumber(value: string): boolean {
  return normaliseNhsNumber(value) !== undefined;
}

/**
 * Display form "943 476 5919" (3-3-4). Separators in the input are ignored; anything that is not
 * ten digits is returned as given, so formatting never hides what was actually entered.
 */
export function formatNhsNumber(tenDigits: string): string {
  const digits = stripSeparators(tenDigits);
  if (!/^\d{10}$/.test(digits)) {
    return tenDigits;
  }
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
