import { createHash, randomBytes } from 'node:crypto';
import { CofferError } from '../../../shared/errors/coffer-error.js';

/**
 * The Vault Recovery Key as a person sees it: 160 random bits in Crockford base32 (no I, L,
 * O or U to misread), then 4 check characters, in 9 groups of 4:
 *
 *   7K2M-Q9XD-…-R4TV   (36 characters)
 *
 * The check characters are 20 bits of a SHA-256 over the secret, so a mistyped key is told
 * apart from a wrong one before any decryption is tried (a typo slips through one time in a
 * million, and then fails as a wrong key). Input may use any case, spaces or dashes, and
 * I/L/O are read as 1/1/0, as Crockford's alphabet intends.
 */
export const RECOVERY_SECRET_BYTES = 20;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const SECRET_CHARS = (RECOVERY_SECRET_BYTES * 8) / 5;
const CHECK_CHARS = 4;
const GROUP = 4;
const CHECK_LABEL = 'coffer/recovery-key-check/v1';

export function generateRecoverySecret(): Buffer {
  return randomBytes(RECOVERY_SECRET_BYTES);
}

/** The text shown to the user once. */
export function formatRecoveryKey(secret: Buffer): string {
  assertSecret(secret);
  const text = toBase32(secret) + checkChars(secret);
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += GROUP) groups.push(text.slice(i, i + GROUP));
  return groups.join('-');
}

/**
 * The secret behind a typed Recovery Key; RECOVERY_KEY_MALFORMED (never echoing the input)
 * when it has the wrong length, a character outside the alphabet, or a failed check.
 */
export function parseRecoveryKey(input: string): Buffer {
  const compact = input.replace(/[\s-]+/g, '').toUpperCase();
  const expected = SECRET_CHARS + CHECK_CHARS;
  if (compact.length !== expected) {
    throw new CofferError(
      'RECOVERY_KEY_MALFORMED',
      `A Recovery Key has ${expected} letters and digits (9 groups of 4); this one has ${compact.length}.`,
    );
  }
  const normalized = compact.replace(/[IL]/g, '1').replace(/O/g, '0');
  const invalid = [...normalized].filter((c) => !ALPHABET.includes(c)).length;
  if (invalid > 0) {
    throw new CofferError(
      'RECOVERY_KEY_MALFORMED',
      `The Recovery Key has ${invalid} character(s) that cannot be in one (U or punctuation).`,
    );
  }
  const secret = fromBase32(normalized.slice(0, SECRET_CHARS));
  if (checkChars(secret) !== normalized.slice(SECRET_CHARS)) {
    secret.fill(0);
    throw new CofferError(
      'RECOVERY_KEY_MALFORMED',
      'The Recovery Key does not add up: a character is mistyped. Compare it with your copy, group by group.',
    );
  }
  return secret;
}

function assertSecret(secret: Buffer): void {
  if (secret.length !== RECOVERY_SECRET_BYTES) {
    throw new CofferError('INTERNAL', `A recovery secret is ${RECOVERY_SECRET_BYTES} bytes.`);
  }
}

function checkChars(secret: Buffer): string {
  const digest = createHash('sha256').update(CHECK_LABEL).update(secret).digest();
  // The first 20 bits of the digest, as 4 base32 characters.
  const bits = (digest.readUInt32BE(0) >>> 12) & 0xfffff;
  let out = '';
  for (let shift = 15; shift >= 0; shift -= 5) out += ALPHABET[(bits >>> shift) & 31];
  return out;
}

/** 20 bytes = 160 bits = exactly 32 characters: no padding. */
function toBase32(bytes: Buffer): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

function fromBase32(text: string): Buffer {
  const out = Buffer.alloc((text.length * 5) / 8);
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const char of text) {
    buffer = (buffer << 5) | ALPHABET.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >>> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
