/**
 * Abuse counters in storage (schema: sqlite/migrations/005-counters.ts): the password-login
 * backoff, wrong second-factor answers, owner mails already sent and the per-account request
 * rate. Kept here rather than in memory so a restart forgets nothing and, on PostgreSQL,
 * every instance sees the same counts. Every method returns a Promise.
 *
 * Correctness never relies on one process: a counter changes only through `putCounter`, a
 * compare-and-set on its version, and the request rate through one conditional upsert, so
 * concurrent writers (requests, or instances) cannot both win.
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

export interface CounterRepository {
  getCounter(scope: CounterScope, key: string): Promise<CounterRecord | null>;

  /**
   * Writes the counter if it is still at `expectedVersion` (null: there is no row yet),
   * moving it to the next version. False when another writer came first: read it again.
   */
  putCounter(
    scope: CounterScope,
    key: string,
    expectedVersion: number | null,
    state: string,
    expiresAt: number,
  ): Promise<boolean>;

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
