import { randomBytes } from 'node:crypto';
import {
  formatGroupedKey,
  parseGroupedKey,
  type GroupedKeyFormat,
} from '../crypto/grouped-key-text.js';

/**
 * The Vault Recovery Key as a person sees it: 160 random bits in Crockford base32 (no I, L,
 * O or U to misread), then 4 check characters, in 9 groups of 4:
 *
 *   7K2M-Q9XD-…-R4TV   (36 characters)
 *
 * The check characters are 20 bits of a SHA-256 over the secret, so a mistyped key is told
 * apart from a wrong one before any decryption is tried (a typo slips through one time in a
 * million, and then fails as a wrong key). The codec is shared with the Account Recovery Key
 * (crypto/grouped-key-text.ts).
 */
export const RECOVERY_SECRET_BYTES = 20;

const FORMAT: GroupedKeyFormat = {
  name: 'Recovery Key',
  secretBytes: RECOVERY_SECRET_BYTES,
  checkBits: 20,
  checkLabel: 'coffer/recovery-key-check/v1',
};

export function generateRecoverySecret(): Buffer {
  return randomBytes(RECOVERY_SECRET_BYTES);
}

/** The text shown to the user once. */
export function formatRecoveryKey(secret: Buffer): string {
  return formatGroupedKey(FORMAT, secret);
}

/**
 * The secret behind a typed Recovery Key; RECOVERY_KEY_MALFORMED (never echoing the input)
 * when it has the wrong length, a character outside the alphabet, or a failed check.
 */
export function parseRecoveryKey(input: string): Buffer {
  return parseGroupedKey(FORMAT, input);
}
