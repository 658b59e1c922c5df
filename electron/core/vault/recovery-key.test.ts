import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import {
  RECOVERY_SECRET_BYTES,
  formatRecoveryKey,
  generateRecoverySecret,
  parseRecoveryKey,
} from './recovery-key.js';

const SHAPE = /^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$/;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** A fixed secret, so the typo sweep below has one deterministic outcome. */
const FIXED = createHash('sha256').update('coffer recovery key test').digest().subarray(0, 20);

function malformed(input: string): string {
  try {
    parseRecoveryKey(input);
  } catch (error) {
    expect(isCofferError(error) && error.code).toBe('RECOVERY_KEY_MALFORMED');
    return (error as Error).message;
  }
  throw new Error(`accepted ${input}`);
}

describe('Recovery Key format', () => {
  it('holds at least 128 random bits, shown as 9 groups of 4 characters', () => {
    expect(RECOVERY_SECRET_BYTES * 8).toBeGreaterThanOrEqual(128);
    const secret = generateRecoverySecret();
    expect(secret.length).toBe(RECOVERY_SECRET_BYTES);
    expect(formatRecoveryKey(secret)).toMatch(SHAPE);
  });

  it('reads back what it wrote, in any case, with or without spaces and dashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
        const secret = Buffer.from(bytes);
        const text = formatRecoveryKey(secret);
        expect(text).toMatch(SHAPE);
        for (const typed of [
          text,
          text.toLowerCase(),
          text.replace(/-/g, ''),
          text.replace(/-/g, ' '),
          ` ${text.replace(/-/g, ' - ')}\n`,
        ]) {
          expect(parseRecoveryKey(typed).equals(secret)).toBe(true);
        }
      }),
    );
  });

  it("reads I and L as 1 and O as 0, as Crockford's alphabet intends", () => {
    const text = formatRecoveryKey(FIXED);
    const misread = text
      .replace(/1/g, (_, i: number) => (i % 2 === 0 ? 'l' : 'I'))
      .replace(/0/g, 'o');
    expect(misread).not.toBe(text);
    expect(parseRecoveryKey(misread).equals(FIXED)).toBe(true);
  });

  it('tells every single mistyped character and every swap of two neighbours from a key', () => {
    const text = formatRecoveryKey(FIXED).replace(/-/g, '');
    let variants = 0;
    for (let i = 0; i < text.length; i++) {
      for (const other of ALPHABET) {
        if (other === text[i]) continue;
        malformed(text.slice(0, i) + other + text.slice(i + 1));
        variants++;
      }
      const next = text[i + 1];
      if (next !== undefined && next !== text[i]) {
        malformed(text.slice(0, i) + next + text[i] + text.slice(i + 2));
        variants++;
      }
    }
    expect(variants).toBeGreaterThan(1000);
  });

  it('refuses a wrong length or a character outside the alphabet, without echoing the input', () => {
    const text = formatRecoveryKey(FIXED);
    const short = text.slice(0, -1);
    expect(malformed(short)).toMatch(/36/);
    expect(malformed(`${text}7`)).toMatch(/36/);
    const withU = `U${text.slice(1)}`;
    for (const input of [short, withU, text.replace(/.$/, '!')]) {
      const message = malformed(input);
      expect(message).not.toContain(input);
      expect(message).not.toContain(text.slice(0, 9));
    }
  });
});
