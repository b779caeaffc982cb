import { randomBytes, randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

// No 0/O, 1/I/L, 5/S or 2/Z: codes are read aloud and typed from SMS.
const UNAMBIGUOUS = '346789ABCDEFGHJKMNPQRTUVWXY';

/** A short code in characters that cannot be mistaken for each other. */
export function shortCode(length = 6): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) {
    out += UNAMBIGUOUS.charAt(b % UNAMBIGUOUS.length);
  }
  return out;
}
