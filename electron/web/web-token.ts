/**
 * Web mode's launch token: whoever holds it may use the vault this process has open, so
 * it is new on every launch, long enough that guessing is hopeless, and compared in
 * constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const WEB_TOKEN_BYTES = 32;

/** 32 random bytes as base64url: 43 characters, safe in a URL and a cookie as they are. */
export function createWebToken(): string {
  return randomBytes(WEB_TOKEN_BYTES).toString('base64url');
}

/**
 * Whether `given` is the token. Both sides are hashed first so the comparison takes the
 * same time whatever the given text's length, and a length mismatch gives nothing away.
 */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b);
}
