import { hkdfSync, randomBytes } from 'node:crypto';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import {
  formatGroupedKey,
  parseGroupedKey,
  type GroupedKeyFormat,
} from '../../crypto/grouped-key-text.js';
import { importPrivateKey, type X25519KeyPair } from './x25519-key-pair.js';

/**
 * The Account Recovery Key: 256 random bits shown once at sign-up, with which a new device
 * opens the user key when no signed-in device is at hand. Shown like the Vault Recovery Key
 * (crypto/grouped-key-text.ts): 256 secret bits and 24 check bits make 280 bits, exactly 56
 * Crockford base32 characters in 14 groups of 4. The check catches a typo before any crypto
 * (one in 16 million slips through, and then fails as a wrong key).
 *
 * It stands for an X25519 key pair, so the user key can be re-wrapped to it after a
 * rotation (a revoked device) without the Recovery Key at hand: the server keeps the public
 * half and the sealed user key, never the secret.
 *
 * The private key comes from the secret through HKDF-SHA256 alone. A slow KDF (Argon2,
 * scrypt) exists to make guessing a low-entropy password expensive; this secret is 256
 * uniformly random bits, so there is nothing to guess, and stretching it would only slow
 * every recovery. HKDF gives domain separation (the secret serves no other purpose) and binds
 * the key pair to the user id.
 */
export const ACCOUNT_RECOVERY_SECRET_BYTES = 32;

const FORMAT: GroupedKeyFormat = {
  name: 'Account Recovery Key',
  secretBytes: ACCOUNT_RECOVERY_SECRET_BYTES,
  checkBits: 24,
  checkLabel: 'coffer/account-recovery-key-check/v1',
};
const PAIR_INFO = 'coffer/account-recovery/x25519/v1';

export function generateAccountRecoverySecret(): Buffer {
  return randomBytes(ACCOUNT_RECOVERY_SECRET_BYTES);
}

/** The text shown to the user once. */
export function formatAccountRecoveryKey(secret: Buffer): string {
  return formatGroupedKey(FORMAT, secret);
}

/** The secret behind a typed key; RECOVERY_KEY_MALFORMED, never echoing the input, on a typo. */
export function parseAccountRecoveryKey(input: string): Buffer {
  return parseGroupedKey(FORMAT, input);
}

/** The X25519 key pair an Account Recovery Key stands for, for this user. */
export function accountRecoveryKeyPair(secret: Buffer, userId: string): X25519KeyPair {
  if (secret.length !== ACCOUNT_RECOVERY_SECRET_BYTES) {
    throw new CofferError('INTERNAL', 'An account recovery secret has the wrong length.');
  }
  if (userId.length === 0) throw new CofferError('INTERNAL', 'A user id is needed.');
  const scalar = Buffer.from(hkdfSync('sha256', secret, userId, PAIR_INFO, 32));
  try {
    return importPrivateKey(scalar);
  } finally {
    scalar.fill(0);
  }
}
