/** Dates as patients type them, and days as people say them. */

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthNumber(word: string): number | undefined {
  const w = word.toLowerCase();
  const index = MONTHS.findIndex((m) => m === w || (w.length >= 3 && m.startsWith(w)));
  return index >= 0 ? index + 1 : undefined;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A date of birth as written in the UK: "14/03/1985", "14-3-1985", "14 3 1985", "14 March 1985",
 * "March 14 1985" or "1985-03-14". Two-digit years are refused rather than guessed.
 */
export function parseDateOfBirth(text: string): string | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/(\d)(st|nd|rd|th)\b/g, '$1')
    .replace(/,/g, ' ');
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) {
    return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  m = /^(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})$/.exec(t);
  if (m) {
    return isoDate(Number(m[3]), Number(m[2]), Number(m[1]));
  }
  m = /^(\d{1,2})\s+([a-z]+)\s+(\d{4})$/.exec(t);
  if (m) {
    const month = monthNumber(m[2] ?? '');
    return month === undefined ? undefined : isoDate(Number(m[3]), month, Number(m[1]));
  }
  m = /^([a-z]+)\s+(\d{1,2})\s+(\d{4})$/.exec(t);
  if (m) {
    const month = monthNumber(m[1] ?? '');
    return month === undefined ? undefined : isoDate(Number(m[3]), month, Number(m[2]));
  }
  return undefined;
}

/** "today", "yesterday", or "on Tuesday 17 November", in UK time. */
export function spokenDay(iso: string, now: Date): string {
  const fmt = (d: Date) =>
    d.toLocaleDateString('en-GB', {
      timeZone: 'Europe/London',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  const then = new Date(iso);
  if (fmt(then) === fmt(now)) {
    return 'today';
  }
  if (fmt(then) === fmt(new Date(now.getTime() - 86_400_000))) {
    return 'yesterday';
  }
  return `on ${then.toLocaleDateString('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long' })}`;
}
