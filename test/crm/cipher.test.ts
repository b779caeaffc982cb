import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createDataCipher, parseEncryptionKey } from '../../src/crm/index.js';

const aKey = (): Buffer => randomBytes(32);

/** Flips one base64 character of one part ("v1.<iv>.<tag>.<data>") to another valid one. */
function tamper(sealed: string, part: 1 | 2 | 3): string {
  const parts = sealed.split('.');
  const text = parts[part]!;
  const flipped = text[0] === 'A' ? 'B' : 'A';
  parts[part] = flipped + text.slice(1);
  return parts.join('.');
}

describe('createDataCipher', () => {
  test('when a value is encrypted and decrypted, then the same text comes back', () => {
    const cipher = createDataCipher(aKey());
    const plain = JSON.stringify({ name: 'Zoë Ångström', nhsNumber: '9434765919' });

    expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
  });

  test('when the empty string is encrypted, then it round-trips', () => {
    const cipher = createDataCipher(aKey());
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  test('when a value is sealed, then it reads v1.<iv>.<tag>.<data> and holds no clear text', () => {
    const sealed = createDataCipher(aKey()).encrypt('9434765919');

    const [version, iv, tag, data] = sealed.split('.');
    expect(version).toBe('v1');
    expect(Buffer.from(iv!, 'base64')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64')).toHaveLength(16);
    expect(data).toBeTruthy();
    expect(sealed).not.toContain('9434765919');
  });

  test('when the same text is encrypted twice, then the ciphertexts differ (random IV)', () => {
    const cipher = createDataCipher(aKey());
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  test.each<[1 | 2 | 3, string]>([
    [1, 'the IV'],
    [2, 'the tag'],
    [3, 'the data'],
  ])('when part %i of the sealed value (%s) is altered, then decrypting throws', (part) => {
    const cipher = createDataCipher(aKey());
    const sealed = cipher.encrypt('a profile that must not be altered');

    expect(() => cipher.decrypt(tamper(sealed, part))).toThrow(/could not be decrypted/);
  });

  test.each([['not sealed at all'], ['v2.AAAA.BBBB.CCCC'], ['v1.a.b'], ['v1.!!!.###.$$$'], ['']])(
    'when the value %j is not in the sealed format, then decrypting throws',
    (value) => {
      expect(() => createDataCipher(aKey()).decrypt(value)).toThrow(/could not be decrypted/);
    },
  );

  test('when the tag is truncated, then decrypting throws rather than checking fewer bytes', () => {
    const cipher = createDataCipher(aKey());
    const parts = cipher.encrypt('text').split('.');
    parts[2] = Buffer.from(parts[2]!, 'base64').subarray(0, 4).toString('base64');

    expect(() => cipher.decrypt(parts.join('.'))).toThrow(/could not be decrypted/);
  });

  test('when a value is decrypted with another key, then it throws', () => {
    const sealed = createDataCipher(aKey()).encrypt('secret');
    expect(() => createDataCipher(aKey()).decrypt(sealed)).toThrow(/could not be decrypted/);
  });

  test('when the key is not 32 bytes, then creating the cipher fails as a config error', () => {
    expect(() => createDataCipher(randomBytes(16))).toThrow(
      expect.objectContaining({ code: 'config-invalid' }),
    );
  });
});

describe('lookupHash', () => {
  test('when the same kind and value are hashed twice, then the hash is the same hex digest', () => {
    const cipher = createDataCipher(aKey());

    const first = cipher.lookupHash('nhs', '9434765919');

    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(cipher.lookupHash('nhs', '9434765919')).toBe(first);
  });

  test('when the same key is used by a second cipher, then the hash is the same', () => {
    const key = aKey();
    expect(createDataCipher(key).lookupHash('phone', '+447700900123')).toBe(
      createDataCipher(Buffer.from(key)).lookupHash('phone', '+447700900123'),
    );
  });

  test('when the key differs, then the hash differs (it is keyed)', () => {
    expect(createDataCipher(aKey()).lookupHash('nhs', '9434765919')).not.toBe(
      createDataCipher(aKey()).lookupHash('nhs', '9434765919'),
    );
  });

  test('when the kind differs, then the hash differs', () => {
    const cipher = createDataCipher(aKey());
    expect(cipher.lookupHash('nhs', '9434765919')).not.toBe(
      cipher.lookupHash('phone', '9434765919'),
    );
  });

  test('when hashed, then the result contains no part of the value', () => {
    expect(createDataCipher(aKey()).lookupHash('nhs', '9434765919')).not.toContain('9434765919');
  });
});

describe('parseEncryptionKey', () => {
  const key = aKey();

  test.each([
    ['64 hex characters', key.toString('hex')],
    ['64 upper-case hex characters', key.toString('hex').toUpperCase()],
    ['base64 with padding', key.toString('base64')],
    ['base64url without padding', key.toString('base64url')],
    ['hex with surrounding spaces', `  ${key.toString('hex')}\n`],
  ])('when the text is %s, then the 32-byte key comes back', (_what, text) => {
    expect(parseEncryptionKey(text)?.equals(key)).toBe(true);
  });

  test.each([
    ['empty', ''],
    ['63 hex characters', key.toString('hex').slice(1)],
    ['base64 of 16 bytes', randomBytes(16).toString('base64')],
    ['base64 of 48 bytes', randomBytes(48).toString('base64')],
    ['a passphrase', 'correct horse battery staple'],
  ])('when the text is %s, then it is refused', (_what, text) => {
    expect(parseEncryptionKey(text)).toBeUndefined();
  });
});
