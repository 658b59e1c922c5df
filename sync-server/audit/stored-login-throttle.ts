import type { Clock } from '../clock.js';
import type { CounterScope } from '../storage/counter.repository.js';
import type { Storage } from '../storage/storage.js';
import { readCounter, updateCounter } from '../storage/update-counter.js';
import { clientKeyOf } from './client-key.js';
import { DEFAULT_LOGIN_THROTTLE, HOUR_MS, backoffDelay } from './login-throttle.js';
import type { BackoffPolicy, LoginThrottle, LoginThrottleSettings } from './login-throttle.js';
import { rateLimited } from './rate-limit.js';

/** An attempt that never reported back (the request failed otherwise) stops counting after this. */
export const PENDING_TTL_MS = 60_000;
/** Failure times kept per address (its state is rewritten on every attempt). */
const MAX_IP_FAILURES_KEPT = 1_000;

/** One account's or one address's counter state (the JSON in `counters.state`). */
interface Entry {
  /** Failure times within the last hour, oldest first. */
  failures: number[];
  /** Consecutive failures (accounts only; reset by a success or an hour without failures). */
  streak: number;
  lastFailureAt: number;
  /** Attempts checked but not yet reported: they count as failures until they are. */
  pending: number[];
}

type Side = { scope: CounterScope; key: string };

const emptyEntry = (): Entry => ({ failures: [], streak: 0, lastFailureAt: 0, pending: [] });

/**
 * The LoginThrottle, kept in the server's storage (`counters`, scopes `login_account` and
 * `login_ip`), so a restart forgets no failure and instances on one database share them.
 * Never sleeps: a client inside a backoff window gets 429 with the seconds left. Attempts in
 * flight count as failures until they report, so parallel guesses cannot slip past the
 * limits while Argon2 runs; every change is a compare-and-set (storage/update-counter.ts).
 */
export class StoredLoginThrottle implements LoginThrottle {
  constructor(
    private readonly storage: Pick<Storage, 'counters'>,
    private readonly clock: Clock,
    private readonly settings: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE,
  ) {}

  async check(userKey: string | null, ip: string): Promise<void> {
    const now = this.clock.now();
    const account = userKey === null ? null : this.accountSide(userKey);
    const client = this.ipSide(ip);
    if (account !== null) {
      const wait = await this.reserve(account, now, (entry) => this.accountWait(entry, now));
      if (wait > 0) {
        const ipWait = this.ipWait(await this.read(client, now), now);
        throw tooManyFailures(Math.max(wait, ipWait));
      }
    }
    const wait = await this.reserve(client, now, (entry) => this.ipWait(entry, now));
    if (wait > 0) {
      // The account's reservation goes back: this attempt never reaches the password.
      if (account !== null) await this.change(account, now, (entry) => void entry.pending.shift());
      throw tooManyFailures(wait);
    }
  }

  async failure(userKey: string | null, ip: string): Promise<void> {
    const now = this.clock.now();
    if (userKey !== null) {
      await this.change(this.accountSide(userKey), now, (entry) => {
        entry.pending.shift();
        entry.failures.push(now);
        entry.streak += 1;
        entry.lastFailureAt = now;
      });
    }
    await this.change(this.ipSide(ip), now, (entry) => {
      entry.pending.shift();
      entry.failures.push(now);
      if (entry.failures.length > MAX_IP_FAILURES_KEPT) entry.failures.shift();
      entry.lastFailureAt = now;
    });
  }

  async success(userKey: string | null, ip: string): Promise<void> {
    const now = this.clock.now();
    if (userKey !== null) {
      await this.change(this.accountSide(userKey), now, (entry) => {
        entry.pending.shift();
        entry.streak = 0;
      });
    }
    await this.change(this.ipSide(ip), now, (entry) => void entry.pending.shift());
  }

  private accountSide(userKey: string): Side {
    return { scope: 'login_account', key: userKey };
  }

  private ipSide(ip: string): Side {
    return { scope: 'login_ip', key: clientKeyOf(ip) };
  }

  /** Adds a pending attempt unless `waitOf` says to wait; returns the wait (0 = reserved). */
  private reserve(side: Side, now: number, waitOf: (entry: Entry) => number): Promise<number> {
    return updateCounter<Entry, number>(this.storage, side.scope, side.key, now, (stored) => {
      const entry = current(stored, now);
      const wait = waitOf(entry);
      if (wait > 0) return { next: null, result: wait };
      entry.pending.push(now);
      return { next: { state: entry, expiresAt: expiryOf(entry) }, result: 0 };
    });
  }

  /** Applies `edit` to the side's current entry and stores it. */
  private async change(side: Side, now: number, edit: (entry: Entry) => void): Promise<void> {
    await updateCounter<Entry, void>(this.storage, side.scope, side.key, now, (stored) => {
      const entry = current(stored, now);
      edit(entry);
      const expiresAt = expiryOf(entry);
      // Nothing stored and nothing to keep (a success with no history): no write at all.
      if (stored === null && expiresAt <= now) return { next: null, result: undefined };
      return { next: { state: entry, expiresAt }, result: undefined };
    });
  }

  private async read(side: Side, now: number): Promise<Entry> {
    return current(await readCounter<Entry>(this.storage, side.scope, side.key, now), now);
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
    return Math.max(wait, backoffWait(policy, entry, entry.streak, now));
  }

  private ipWait(entry: Entry, now: number): number {
    return backoffWait(this.settings.ip, entry, entry.failures.length, now);
  }
}

function tooManyFailures(waitMs: number) {
  return rateLimited(waitMs, 'Too many failed sign-in attempts; try again later.');
}

/**
 * Past the free failures, attempts go one at a time: none while another is in flight,
 * and the next only once the delay after the last failure has passed.
 */
function backoffWait(policy: BackoffPolicy, entry: Entry, counted: number, now: number): number {
  if (counted + entry.pending.length < policy.freeFailures) return 0;
  if (entry.pending.length > 0) return policy.baseDelayMs;
  return Math.max(0, entry.lastFailureAt + backoffDelay(policy, counted) - now);
}

/** The stored entry with expired failures and reservations dropped (a fresh one if none). */
function current(stored: Entry | null, now: number): Entry {
  const entry = stored ?? emptyEntry();
  entry.failures = entry.failures.filter((at) => at > now - HOUR_MS);
  entry.pending = entry.pending.filter((at) => at > now - PENDING_TTL_MS);
  // A quiet hour ends a run of failures: the next typo does not inherit an old delay.
  if (entry.lastFailureAt <= now - HOUR_MS) entry.streak = 0;
  return entry;
}

/** When the entry stops limiting anything: its last failure an hour old, no attempt in flight. */
function expiryOf(entry: Entry): number {
  const lastPending = entry.pending.reduce((latest, at) => Math.max(latest, at), 0);
  return Math.max(entry.lastFailureAt + HOUR_MS, lastPending + PENDING_TTL_MS);
}
