/**
 * How many accounts the authenticated load must be spread over so the server's
 * per-account request limit (production default in sync-server/audit/rate-limit.ts: a
 * token bucket of 600 requests, refilled at 600 a minute) is never reached. The rate is
 * bounded by the health route's (the same server doing less work per request), measured
 * just before.
 */

export interface TokenBucketLimit {
  limit: number;
  windowMs: number;
}

export const PER_ACCOUNT_LIMIT: TokenBucketLimit = { limit: 600, windowMs: 60_000 };

/** Requests one key may make in `seconds` from a full bucket. */
export function requestsAllowed(limit: TokenBucketLimit, seconds: number): number {
  return limit.limit + (limit.limit / limit.windowMs) * seconds * 1000;
}

export function accountsForLoad(options: {
  /** Upper bound of the requests per second the load will reach. */
  requestsPerSecond: number;
  /** Everything the accounts' buckets see: warm-up plus timed run. */
  seconds: number;
  /** Extra share on top of the estimate (1.25 = 25 % more accounts). */
  headroom: number;
  min: number;
  limit?: TokenBucketLimit;
}): number {
  const perAccount = requestsAllowed(options.limit ?? PER_ACCOUNT_LIMIT, options.seconds);
  const needed = Math.ceil(
    (options.requestsPerSecond * options.seconds * options.headroom) / perAccount,
  );
  return Math.max(options.min, needed);
}
