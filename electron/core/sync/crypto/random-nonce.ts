import { randomBytes } from 'node:crypto';

/**
 * 96-bit random nonces for AES-256-GCM, cut from a 4 KiB pool of randomBytes: one call per
 * ~340 nonces instead of one per nonce, whose fixed cost was about a third of encrypting a
 * small change. Every pool byte is used once and the pool is refilled, never reused, so the
 * nonces are as random and as unique as separate calls would give. Nonces are public (they
 * travel beside the ciphertext), so holding upcoming ones in memory exposes nothing.
 */
export const NONCE_BYTES = 12;
const POOL_BYTES = NONCE_BYTES * 341;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomNonce(): Buffer {
  if (offset + NONCE_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const nonce = Buffer.from(pool.subarray(offset, offset + NONCE_BYTES));
  offset += NONCE_BYTES;
  return nonce;
}
