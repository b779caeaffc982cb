import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../shared/index.js';

/**
 * Personal data is sealed before it reaches a store, so a copy of Redis (a backup, a replica, a
 * debugging session) holds nothing readable. Lookups by NHS number or phone use a keyed hash:
 * without the key, a hash cannot be reversed by trying all ten-digit numbers.
 */
export interface DataCipher {
  /** "v1.<iv>.<tag>.<data>" in base64; a fresh random IV each time. */
  encrypt(plain: string): string;
  /** The plain text, or throws an AppError when the value is malformed or was altered. */
  decrypt(sealed: string): string;
  /** HMAC-SHA256 of kind + value (hex), stable for one key; kinds never collide. */
  lookupHash(kind: string, value: string): string;
}

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// A separate key for lookups, so the hashes and the ciphertexts never share key material.
const LOOKUP_KEY_INFO = 'digital-111/crm/lookup-hash/v1';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodePart(part: string | undefined): Buffer | undefined {
  return part !== undefined && BASE64.test(part) ? Buffer.from(part, 'base64') : undefined;
}

function unreadable(reason: string): AppError {
  return new AppError('internal', `sealed value could not be decrypted: ${reason}`);
}

export function createDataCipher(key: Buffer): DataCipher {
  if (key.length !== KEY_BYTES) {
    throw new AppError('config-invalid', `the data encryption key must be ${KEY_BYTES} bytes`);
  }
  const encryptionKey = Buffer.from(key);
  const lookupKey = Buffer.from(hkdfSync('sha256', key, '', LOOKUP_KEY_INFO, KEY_BYTES));

  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, encryptionKey, iv, { authTagLength: TAG_BYTES });
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, ...[iv, tag, data].map((part) => part.toString('base64'))].join('.');
    },

    decrypt(sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw unreadable('unknown format');
      }
      const iv = decodePart(parts[1]);
      const tag = decodePart(parts[2]);
      const data = decodePart(parts[3]);
      if (iv?.length !== IV_BYTES || tag?.length !== TAG_BYTES || data === undefined) {
        throw unreadable('malformed parts');
      }
      try {
        // The tag length is fixed so a truncated tag cannot weaken the authentication.
        const decipher = createDecipheriv(ALGORITHM, encryptionKey, iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new AppError(
          'internal',
          'sealed value could not be decrypted: authentication failed',
          {
            cause,
          },
        );
      }
    },

    lookupHash(kind, value) {
      // The NUL separator keeps ("nhs", "x") and ("nh", "sx") apart.
      return createHmac('sha256', lookupKey).update(`${kind}\u0000${value}`, 'utf8').digest('hex');
    },
  };
}

/**
 * The 32-byte key from configuration text: 64 hex characters, or base64 (standard or URL-safe,
 * padding optional) of exactly 32 bytes. Anything else is undefined, so config can refuse it.
 */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    return Buffer.from(trimmed, 'hex');
  }
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    return undefined;
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}
