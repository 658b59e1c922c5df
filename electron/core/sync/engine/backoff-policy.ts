/** How long to wait before trying again after the n-th failure in a row. */
export interface BackoffPolicy {
  /** The ceiling of the first wait. */
  baseMs: number;
  /** No wait is longer than this, however many failures came before. */
  capMs: number;
  /** No wait is shorter: a random draw near zero must not turn retries into a busy loop. */
  floorMs: number;
}

/** Sync rounds: a server that is down or refusing is asked again within 1 s, then at most every 5 min. */
export const ROUND_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000, floorMs: 250 };

/** The WebSocket: reconnects quickly at first (a restart is short), then at most every minute. */
export const SOCKET_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 60_000, floorMs: 100 };

/**
 * "Full jitter": a uniform draw in [0, min(cap, base·2^failures)), raised to the floor. The
 * spread keeps a fleet of devices that lost the server at the same moment from coming back
 * at the same moment. `random` is a draw in [0, 1), given so callers and tests decide it.
 */
export function backoffDelay(policy: BackoffPolicy, failures: number, random: number): number {
  const exponent = Math.min(Math.max(0, Math.floor(failures)), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const draw = Math.floor(Math.min(Math.max(random, 0), 1) * ceiling);
  return Math.min(policy.capMs, Math.max(policy.floorMs, draw));
}

/**
 * The wait after a failure: the jittered backoff, but never less than what the server asked
 * for with Retry-After (a 429 is obeyed even beyond the cap: it is the server's to set).
 */
export function retryDelay(
  policy: BackoffPolicy,
  failures: number,
  random: number,
  retryAfterMs?: number,
): number {
  const backoff = backoffDelay(policy, failures, random);
  return retryAfterMs === undefined ? backoff : Math.max(backoff, retryAfterMs);
}

/** The longest Retry-After taken at its word: a day. Beyond it, a misconfigured proxy is assumed. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/**
 * Retry-After as milliseconds from `nowMs` (RFC 9110: delay-seconds or an HTTP date), or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1_000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
    ms = Math.max(0, at - nowMs);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}
