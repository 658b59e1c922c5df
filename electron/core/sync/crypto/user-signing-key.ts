import {
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { UserKey } from './user-key.js';
import { exportPrivateKeyRaw } from './x25519-key-pair.js';

/**
 * Each user key version has an Ed25519 signing key derived from its private half, so it is
 * held by exactly those who hold that user key version (sealed to the same devices and to
 * the Recovery Key) and needs no box of its own. It signs the statements that bind a user
 * key version to the one before it (user-key-statement.ts).
 */
export interface UserSigningKey {
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Buffer;
  privateKey: KeyObject;
}

export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
// DER prefixes of a raw Ed25519 key in PKCS#8 and SPKI form (RFC 8410).
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');
const INFO = 'coffer/user-signing-key/v1';

export function userSigningKey(userKey: UserKey): UserSigningKey {
  const raw = exportPrivateKeyRaw(userKey.pair.privateKey);
  const seed = Buffer.from(hkdfSync('sha256', raw, Buffer.from(userKey.userId, 'utf8'), INFO, 32));
  const der = Buffer.concat([PKCS8_ED25519, seed]);
  try {
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    return { privateKey, publicKey: spki.subarray(SPKI_ED25519.length) };
  } finally {
    raw.fill(0);
    seed.fill(0);
    der.fill(0);
  }
}

export function signWith(key: UserSigningKey, message: Buffer): Buffer {
  return sign(null, message, key.privateKey);
}

/** False for a wrong signature, a key that is not 32 bytes or not a valid point: never throws. */
export function verifySignature(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  if (publicKey.length !== ED25519_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) {
    return false;
  }
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519, publicKey]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
