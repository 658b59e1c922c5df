import { randomBytes } from 'node:crypto';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { createSecretBox, keyIdOf, normaliseEmail, SecretBoxError } from './secret-box.js';

const key = randomBytes(32);
const box = createSecretBox(key);

describe('SecretBox', () => {
  it('opens what it sealed, for any text and AAD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string(), (plaintext, aad) => {
        expect(box.open(box.seal(plaintext, aad), aad)).toBe(plaintext);
      }),
    );
  });

  it('uses the v1:<keyId>:<nonce>:<ciphertext+tag> format with a fresh nonce each time', () => {
    const a = box.seal('alice@example.test', 'email:u1');
    const b = box.seal('alice@example.test', 'email:u1');
    expect(a).toMatch(/^v1:[0-9a-f]{16}:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    expect(a.split(':')[1]).toBe(box.keyId);
    expect(Buffer.from(a.split(':')[2] ?? '', 'base64')).toHaveLength(12);
    expect(a).not.toBe(b);
    expect(a).not.toContain('alice');
  });

  it('binds a value to its AAD (row and column)', () => {
    const sealed = box.seal('secret', 'email:u1');
    expect(() => box.open(sealed, 'email:u2')).toThrow(SecretBoxError);
    expect(() => box.open(sealed, 'totp:u1')).toThrow(SecretBoxError);
  });

  it('refuses values sealed under another key', () => {
    const other = createSecretBox(randomBytes(32));
    const sealed = other.seal('secret', 'a');
    expect(() => box.open(sealed, 'a')).toThrow('sealed under another master key');
    // Even with the key id forged, GCM authentication fails.
    const forged = sealed.replace(other.keyId, box.keyId);
    expect(() => box.open(forged, 'a')).toThrow(SecretBoxError);
  });

  it('detects any altered byte', () => {
    const sealed = box.seal('a TOTP secret', 'totp:u1');
    const parts = sealed.split(':');
    const body = Buffer.from(parts[3] ?? '', 'base64');
    for (let i = 0; i < body.length; i += 1) {
      const altered = Buffer.from(body);
      altered[i] = (altered[i] ?? 0) ^ 1;
      const text = [parts[0], parts[1], parts[2], altered.toString('base64')].join(':');
      expect(() => box.open(text, 'totp:u1')).toThrow(SecretBoxError);
    }
  });

  it.each(['', 'plain', 'v2:abc:def:ghi', 'v1:x:y', 'v1:::', `v1:${box.keyId}:AAAA:AAAA`])(
    'rejects the malformed value %j',
    (value) => {
      expect(() => box.open(value, 'a')).toThrow(SecretBoxError);
    },
  );

  it('never puts the plaintext in an error message', () => {
    const sealed = box.seal('hunter2-secret', 'a');
    try {
      box.open(sealed, 'b');
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });

  it('derives a stable key id and refuses keys that are not 32 bytes', () => {
    expect(createSecretBox(Buffer.from(key)).keyId).toBe(box.keyId);
    expect(keyIdOf(key)).toBe(box.keyId);
    expect(() => createSecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});

describe('lookupHash', () => {
  it('is deterministic per key, separated by kind and by key', () => {
    const h = box.lookupHash('email', 'alice@example.test');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(box.lookupHash('email', 'alice@example.test')).toBe(h);
    expect(box.lookupHash('token', 'alice@example.test')).not.toBe(h);
    expect(createSecretBox(randomBytes(32)).lookupHash('email', 'alice@example.test')).not.toBe(h);
  });

  it('normalises emails: trim, NFKC, lowercase', () => {
    const h = box.lookupHash('email', 'alice@example.test');
    expect(box.lookupHash('email', '  ALICE@Example.TEST ')).toBe(h);
    expect(box.lookupHash('email', 'ａｌｉｃｅ@example.test')).toBe(h); // full-width letters
    expect(box.lookupHash('other', ' A ')).not.toBe(box.lookupHash('other', 'a'));
  });

  it('kind and value cannot be shifted into each other', () => {
    expect(box.lookupHash('ab', 'c')).not.toBe(box.lookupHash('a', 'bc'));
  });

  it('normaliseEmail is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(normaliseEmail(normaliseEmail(s))).toBe(normaliseEmail(s));
      }),
    );
  });
});
