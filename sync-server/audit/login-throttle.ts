import { isHttpError } from '../http/errors.js';
import { normaliseEmail } from '../secrets/secret-box.js';
import type { SecretBox } from '../secrets/secret-box.js';

/**
 * Backoff on failed password logins. Login calls `check` before it looks
 * at the password (it throws 429 RATE_LIMITED with Retry-After instead of making anyone
 * wait), then `failure` or `success`. `userKey` names the account tried — see
 * `loginThrottleKey` — or is null when none was named.
 */
export interface LoginThrottle {
  check(userKey: string | null, ip: string): Promise<void>;
  failure(userKey: string | null, ip: string): Promise<void>;
  success(userKey: string | null, ip: string): Promise<void>;
}

export interface BackoffPolicy {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** Delay after the first counted failure; it doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface LoginThrottleSettings {
  /**
   * By account: consecutive failures (a success resets them) set the delay; on top, at most
   * `maxFailuresPerHour` failures in any hour — past it every attempt, even with the right
   * password, is refused until the oldest failure is an hour old.
   */
  account: BackoffPolicy & { maxFailuresPerHour: number };
  /**
   * By client IP (IPv6 by /64): the failures of the last hour set the delay, and a success
   * does not clear them — else one valid account would let an attacker reset the backoff
   * between guesses at other accounts.
   */
  ip: BackoffPolicy;
}

export const HOUR_MS = 60 * 60_000;

/**
 * The account delay stays short (30 s) so the hourly cap is what binds: 10 free, then 1, 2,
 * 4, 8, 16, 30, 30 … seconds — 100 failures fit in about 45 minutes, none more in the hour.
 */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = {
  account: { freeFailures: 10, baseDelayMs: 1_000, maxDelayMs: 30_000, maxFailuresPerHour: 100 },
  ip: { freeFailures: 50, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000 },
};

/** Delay after `n` counted failures: none for the free ones, then doubling to the cap. */
export function backoffDelay(policy: BackoffPolicy, n: number): number {
  if (n < policy.freeFailures) return 0;
  const doublings = Math.min(n - policy.freeFailures, 40);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/**
 * The userKey for an email: its lookup HMAC (the same one the users table is searched by),
 * computed alike for addresses with and without an account, so the throttle's answers never
 * tell which addresses exist.
 */
export function loginThrottleKey(secrets: SecretBox, email: string): string {
  return `email:${secrets.lookupHash('email', normaliseEmail(email))}`;
}

/**
 * Runs one password check under the throttle: `check`, then `attempt`; a 401
 * INVALID_CREDENTIALS from it is a `failure`, a result a `success`. Other errors report
 * nothing (the pending attempt expires).
 */
export async function throttledLogin<T>(
  throttle: LoginThrottle,
  userKey: string | null,
  ip: string,
  attempt: () => Promise<T>,
): Promise<T> {
  await throttle.check(userKey, ip);
  let result: T;
  try {
    result = await attempt();
  } catch (error) {
    if (isHttpError(error) && error.code === 'INVALID_CREDENTIALS') {
      await throttle.failure(userKey, ip);
    }
    throw error;
  }
  await throttle.success(userKey, ip);
  return result;
}
