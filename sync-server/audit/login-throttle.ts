import type { Clock } from '../clock.js';
import { isHttpError } from '../http/errors.js';
import { normaliseEmail } from '../secrets/secret-box.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { clientKeyOf } from './client-key.js';
import { rateLimited } from './rate-limit.js';

/**
 * Backoff on failed password logins (ARCHITECTURE §5). Login calls `check` before it looks
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

/** An attempt that never reported back (the request failed otherwise) stops counting after this. */
const PENDING_TTL_MS = 60_000;
/** Failure times kept per IP key. */
const MAX_IP_FAILURES_KEPT = 1_000;
const DEFAULT_MAX_KEYS = 100_000;

interface Entry {
  /** Failure times within the last hour, oldest first. */
  failures: number[];
  /** Consecutive failures (accounts only; reset by a success or an hour without failures). */
  streak: number;
  lastFailureAt: number;
  /** Attempts checked but not yet reported: they count as failures until they are. */
  pending: number[];
}

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

/**
 * The LoginThrottle of one server process, in memory (a restart forgets it; several
 * instances each keep their own). Never sleeps: a client inside a backoff window gets 429
 * with the seconds left. Attempts in flight count as failures until they report, so
 * parallel guesses cannot slip past the limits while Argon2 runs.
 */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly accounts = new Map<string, Entry>();
  private readonly ips = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE,
    private readonly maxKeys: number = DEFAULT_MAX_KEYS,
  ) {}

  async check(userKey: string | null, ip: string): Promise<void> {
    const now = this.clock.now();
    const account = userKey === null ? undefined : this.current(this.accounts, userKey, now);
    const client = this.current(this.ips, clientKeyOf(ip), now);
    const wait = Math.max(
      account === undefined ? 0 : this.accountWait(account, now),
      client === undefined ? 0 : this.ipWait(client, now),
    );
    if (wait > 0) {
      throw rateLimited(wait, 'Too many failed sign-in attempts; try again later.');
    }
    if (userKey !== null) this.entry(this.accounts, userKey, now).pending.push(now);
    this.entry(this.ips, clientKeyOf(ip), now).pending.push(now);
  }

  async failure(userKey: string | null, ip: string): Promise<void> {
    const now = this.clock.now();
    if (userKey !== null) {
      const account = this.entry(this.accounts, userKey, now);
      account.pending.shift();
      account.failures.push(now);
      account.streak += 1;
      account.lastFailureAt = now;
    }
    const client = this.entry(this.ips, clientKeyOf(ip), now);
    client.pending.shift();
    client.failures.push(now);
    if (client.failures.length > MAX_IP_FAILURES_KEPT) client.failures.shift();
    client.lastFailureAt = now;
  }

  async success(userKey: string | null, ip: string): Promise<void> {
    const now = this.clock.now();
    if (userKey !== null) {
      const account = this.current(this.accounts, userKey, now);
      if (account !== undefined) {
        account.pending.shift();
        account.streak = 0;
      }
    }
    this.current(this.ips, clientKeyOf(ip), now)?.pending.shift();
  }

  /** Milliseconds an account must wait before its next attempt (0 = go ahead). */
  private accountWait(entry: Entry, now: number): number {
    const policy = this.settings.account;
    let wait = 0;
    const used = entry.failures.length + entry.pending.length;
    if (used >= policy.maxFailuresPerHour) {
      // The failure whose expiry brings the count under the cap.
      const expiring = entry.failures[used - policy.maxFailuresPerHour];
      wait = expiring === undefined ? policy.baseDelayMs : expiring + HOUR_MS - now;
    }
    return Math.max(wait, this.backoffWait(policy, entry, entry.streak, now));
  }

  private ipWait(entry: Entry, now: number): number {
    return this.backoffWait(this.settings.ip, entry, entry.failures.length, now);
  }

  /**
   * Past the free failures, attempts go one at a time: none while another is in flight,
   * and the next only once the delay after the last failure has passed.
   */
  private backoffWait(policy: BackoffPolicy, entry: Entry, counted: number, now: number): number {
    if (counted + entry.pending.length < policy.freeFailures) return 0;
    if (entry.pending.length > 0) return policy.baseDelayMs;
    return Math.max(0, entry.lastFailureAt + backoffDelay(policy, counted) - now);
  }

  /** The key's entry with expired failures and reservations dropped, if it has one. */
  private current(map: Map<string, Entry>, key: string, now: number): Entry | undefined {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    while (entry.failures.length > 0 && (entry.failures[0] ?? 0) <= now - HOUR_MS) {
      entry.failures.shift();
    }
    while (entry.pending.length > 0 && (entry.pending[0] ?? 0) <= now - PENDING_TTL_MS) {
      entry.pending.shift();
    }
    // A quiet hour ends a run of failures: the next typo does not inherit an old delay.
    if (entry.lastFailureAt <= now - HOUR_MS) entry.streak = 0;
    return entry;
  }

  private entry(map: Map<string, Entry>, key: string, now: number): Entry {
    const existing = this.current(map, key, now);
    if (existing !== undefined) return existing;
    this.makeRoom(map, now);
    const created: Entry = { failures: [], streak: 0, lastFailureAt: 0, pending: [] };
    map.set(key, created);
    return created;
  }

  /**
   * Bounds memory against floods of made-up emails: entries with nothing left to enforce
   * (no failure in the last hour, nothing in flight) go first, then the oldest.
   */
  private makeRoom(map: Map<string, Entry>, now: number): void {
    if (map.size < this.maxKeys) return;
    for (const [key, entry] of map) {
      const last = entry.failures[entry.failures.length - 1] ?? entry.lastFailureAt;
      if (last <= now - HOUR_MS && entry.pending.length === 0) map.delete(key);
    }
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of map.keys()) {
      if (map.size <= target) break;
      map.delete(key);
    }
  }

  /** For tests and diagnostics: how many keys are tracked. */
  get size(): { accounts: number; ips: number } {
    return { accounts: this.accounts.size, ips: this.ips.size };
  }
}
