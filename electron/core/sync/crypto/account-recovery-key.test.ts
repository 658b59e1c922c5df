import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_RECOVERY_SECRET_BYTES,
  accountRecoveryKeyPair,
  formatAccountRecoveryKey,
  generateAccountRecoverySecret,
  parseAccountRecoveryKey,
} from './account-recovery-key.js';
import { errorOf, fixedBytes, flipByte } from './test-fixtures/crypto-test-support.js';

const SHAPE = /^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const FIXED = fixedBytes('account recovery');
const FIXED_TEXT = '3AQ2-APH7-A89A-26EG-0YPT-E8ZT-AHC1-G1CH-ZZE3-03BH-E4KN-NH1C-2TTW-N2VE';
const FIXED_PUBLIC = '423e220630ec0059d7bd139beebe2750132e3cf3bd6af493bf9263bbb723df10';

function malformed(input: string): string {
  return errorOf(() => parseAccountRecoveryKey(input), 'RECOVERY_KEY_MALFORMED').message;
}

describe('Account Recovery Key', () => {
  it('is 256 random bits shown as 14 groups of 4', () => {
    expect(ACCOUNT_RECOVERY_SECRET_BYTES * 8).toBe(256);
    const secret = generateAccountRecoverySecret();
    expect(secret.length).toBe(32);
    expect(generateAccountRecoverySecret().equals(secret)).toBe(false);
    expect(formatAccountRecoveryKey(secret)).toMatch(SHAPE);
  });

  it('formats a fixed secret as the fixed text, and reads it back however it is typed', () => {
    expect(formatAccountRecoveryKey(FIXED)).toBe(FIXED_TEXT);
    const misread = FIXED_TEXT.toLowerCase().replace(/1/g, 'l').replace(/0/g, 'o');
    for (const typed of [FIXED_TEXT, misread, FIXED_TEXT.replace(/-/g, ' '), ` ${FIXED_TEXT}\n`]) {
      expect(parseAccountRecoveryKey(typed).equals(FIXED)).toBe(true);
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const secret = Buffer.from(bytes);
        expect(parseAccountRecoveryKey(formatAccountRecoveryKey(secret)).equals(secret)).toBe(true);
      }),
    );
  });

  it('catches every single mistyped character and every swap of neighbours before any crypto', () => {
    const text = FIXED_TEXT.replace(/-/g, '');
    let variants = 0;
    for (let i = 0; i < text.length; i++) {
      for (const other of ALPHABET) {
        if (other === text[i]) continue;
        expect(malformed(text.slice(0, i) + other + text.slice(i + 1))).toMatch(/mistyped/);
        variants++;
      }
      const next = text[i + 1];
      if (next !== undefined && next !== text[i]) {
        malformed(text.slice(0, i) + next + text[i] + text.slice(i + 2));
        variants++;
      }
    }
    expect(variants).toBeGreaterThan(1700);
  });

  it('refuses a wrong length or stray characters without echoing the input', () => {
    for (const input of [FIXED_TEXT.slice(0, -1), `${FIXED_TEXT}7`, `U${FIXED_TEXT.slice(1)}`]) {
      const message = malformed(input);
      expect(message).not.toContain(FIXED_TEXT.slice(0, 9));
      expect(message).not.toContain(FIXED_TEXT.slice(-9));
    }
    expect(malformed(FIXED_TEXT.slice(0, -1))).toMatch(/56 letters and digits \(14 groups of 4\)/);
    // The Vault Recovery Key (36 characters) is not taken for an Account Recovery Key.
    expect(malformed('7K2M-Q9XD-7K2M-Q9XD-7K2M-Q9XD-7K2M-Q9XD-7K2M')).toMatch(/this one has 36/);
  });

  it('stands for one X25519 key pair per user, derived with HKDF-SHA256', () => {
    const pair = accountRecoveryKeyPair(FIXED, 'u-1');
    expect(pair.publicKey.toString('hex')).toBe(FIXED_PUBLIC);
    expect(accountRecoveryKeyPair(Buffer.from(FIXED), 'u-1').publicKey.equals(pair.publicKey)).toBe(
      true,
    );
    expect(accountRecoveryKeyPair(FIXED, 'u-2').publicKey.equals(pair.publicKey)).toBe(false);
    expect(accountRecoveryKeyPair(flipByte(FIXED, 0), 'u-1').publicKey.equals(pair.publicKey)).toBe(
      false,
    );
    // The documented derivation, computed here on its own.
    const scalar = Buffer.from(
      hkdfSync('sha256', FIXED, 'u-1', 'coffer/account-recovery/x25519/v1', 32),
    );
    expect(pair.privateKey.export({ format: 'jwk' }).d).toBe(scalar.toString('base64url'));
  });

  it('refuses a secret of the wrong length or an empty user id', () => {
    errorOf(() => accountRecoveryKeyPair(Buffer.alloc(20, 1), 'u-1'), 'INTERNAL');
    errorOf(() => accountRecoveryKeyPair(FIXED, ''), 'INTERNAL');
  });
});
