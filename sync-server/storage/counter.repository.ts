/**
 * Abuse counters in storage (schema: sqlite/migrations/005-counters.ts): the password-login
 * backoff, wrong second-factor answers, owner mails already sent and the per-account request
 * rate. Kept here rather than in memory so a restart forgets nothing and, on PostgreSQL,
 * every instance sees the same counts. Every method returns a Promise.
 *
 * Correctness never relies on one process: a counter changes only through `updateCounter`,
 * a compare-and-set on its version, and the request rate through one conditional upsert,
 * so concurrent writers (requests, or instances) cannot both win.
 */

/** What a counter row counts; each scope's service owns the shape of its JSON state. */
export type CounterScope = 'login_account' | 'login_ip' | 'second_factor' | 'owner_notice';

export interface CounterRecord {
  /** JSON written by the scope's service. */
  state: string;
  /** 1 for a new row, +1 with every write. */
  version: number;
  /** UTC ms from which the row limits nothing any more (the prune job deletes it). */
  expiresAt: number;
}

/** `limit` requests per `windowMs`, refilled continuously; a burst of `limit` is allowed. */
export interface RequestRate {
  limit: number;
  windowMs: number;
}

/** What `updateCounter`'s `decide` returns: the state to store (null: leave it) and a result. */
export interface CounterDecision<R> {
  next: { state: string; expiresAt: number } | null;
  result: R;
}

export type CounterUpdate<R> = { ok: true; result: R } | { ok: false };

export interface CounterRepository {
  getCounter(scope: CounterScope, key: string): Promise<CounterRecord | null>;

  /**
   * Read-decide-write on one counter, atomically: reads it (`decide` gets null for an
   * absent or expired row), stores `decide`'s next state only if the row is still at the
   * version read — creating it if there was none — and after a lost race reads and decides
   * again, a bounded number of times (`ok: false` when every round lost: a flood on
   * one key). `decide` must be pure and quick: it may run more than once.
   *
   * SQLite runs a round synchronously on its one connection, so it only loses to another
   * process; PostgreSQL runs the same compare-and-set on `version` across instances.
   */
  updateCounter<R>(
    scope: CounterScope,
    key: string,
    now: number,
    decide: (state: string | null) => CounterDecision<R>,
  ): Promise<CounterUpdate<R>>;

  /**
   * Takes one request from `key`'s allowance at `now` (GCRA, the token bucket in one
   * number). Returns 0 when allowed, else the milliseconds until a request will be; a
   * refused request takes nothing. One statement on the allowed path.
   */
  takeRequest(key: string, now: number, rate: RequestRate): Promise<number>;

  /**
   * Deletes up to `batchSize` counters and request rates that limit nothing at `now`;
   * returns how many (call again while it returns `batchSize`).
   */
  pruneExpired(now: number, batchSize?: number): Promise<number>;
}
