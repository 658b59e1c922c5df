import type { Clock } from '../clock.js';
import type { ServerConfig } from '../config/server-config.js';
import { tooMany } from '../http/errors.js';
import type { HttpError } from '../http/errors.js';
import type { CounterRepository } from '../storage/counter.repository.js';
import type { Storage } from '../storage/storage.js';
import { clientKeyOf } from './client-key.js';
import { TokenBuckets } from './token-buckets.js';
import type { RateLimit } from './token-buckets.js';

export type { RateLimit } from './token-buckets.js';

/** Request rate limits; null turns one off. */
export interface RateLimitSettings {
  /** Every request, by client IP (IPv6 by /64). Checked before anything else runs. */
  perIp: RateLimit | null;
  /** Authenticated requests, by account, after the bearer token is resolved. */
  perAccount: RateLimit | null;
}

/**
 * Generous enough for a sync client and a team behind one NAT address, low enough to blunt
 * floods and scraping. Failed logins have their own, much tighter backoff (login-throttle.ts).
 */
export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  perIp: { limit: 1200, windowMs: 60_000 },
  perAccount: { limit: 600, windowMs: 60_000 },
};

/** Where configuration may carry limits (server-config `rateLimits`, when it has one). */
interface RateLimitConfig {
  rateLimits?: Partial<RateLimitSettings>;
}

export function rateLimited(retryAfterMs: number, message: string): HttpError {
  return tooMany('RATE_LIMITED', message, retryAfterMs / 1000);
}

/**
 * Per-IP and per-account request limits. Exceeding one answers `429 RATE_LIMITED` with
 * `Retry-After` in seconds.
 *
 * The per-account limit is kept in storage (`request_rates`, one conditional upsert per
 * authenticated request), so a restart does not hand an account a fresh allowance and
 * instances on one database share it. The per-IP limit stays in this process's memory on
 * purpose: it runs first, on every request, authenticated or not, to shed floods before they
 * cost anything — a database write per request would make the flood's cost the database's.
 * What a restart forgets there is at most one window's allowance per address, while the
 * limits an attacker cares about (login backoff, second-factor cap) are in storage.
 */
export class RequestRateLimiter {
  private perIp: TokenBuckets | null = null;
  private perAccount: RateLimit | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly store: CounterRepository,
    settings: RateLimitSettings = DEFAULT_RATE_LIMITS,
  ) {
    this.configure(settings);
  }

  /**
   * Replaces the named limits; tests and the bench use it. Per-IP counts start afresh; the
   * per-account ones stay in storage and are read under the new rate.
   */
  configure(settings: Partial<RateLimitSettings>): void {
    if (settings.perIp !== undefined) this.perIp = this.buckets(settings.perIp);
    if (settings.perAccount !== undefined) this.perAccount = checkedRate(settings.perAccount);
  }

  get settings(): RateLimitSettings {
    return { perIp: this.perIp?.rate ?? null, perAccount: this.perAccount };
  }

  /** Throws 429 when the client has used up its requests. */
  checkIp(ip: string): void {
    const wait = this.perIp?.take(clientKeyOf(ip)) ?? 0;
    if (wait > 0) throw rateLimited(wait, 'Too many requests from this address; slow down.');
  }

  /** Throws 429 when the account has used up its requests. */
  async checkAccount(userId: string): Promise<void> {
    if (this.perAccount === null) return;
    const wait = await this.store.takeRequest(userId, this.clock.now(), this.perAccount);
    if (wait > 0) throw rateLimited(wait, 'Too many requests for this account; slow down.');
  }

  private buckets(rate: RateLimit | null): TokenBuckets | null {
    const checked = checkedRate(rate);
    return checked === null ? null : new TokenBuckets(this.clock, checked);
  }
}

function checkedRate(rate: RateLimit | null): RateLimit | null {
  if (rate === null) return null;
  if (!(rate.limit >= 1 && rate.windowMs >= 1)) {
    throw new RangeError('a rate limit needs limit >= 1 and windowMs >= 1');
  }
  return { ...rate };
}

const limiters = new WeakMap<object, RequestRateLimiter>();

/**
 * The limiter of one server (one per ServerDeps, like `accountsFor`). Its limits come from
 * `config.rateLimits` when the configuration carries them, else DEFAULT_RATE_LIMITS.
 */
export function rateLimiterFor(deps: {
  clock: Clock;
  config: ServerConfig;
  storage: Pick<Storage, 'counters'>;
}): RequestRateLimiter {
  let limiter = limiters.get(deps);
  if (limiter === undefined) {
    const configured = (deps.config as ServerConfig & RateLimitConfig).rateLimits ?? {};
    limiter = new RequestRateLimiter(deps.clock, deps.storage.counters, {
      ...DEFAULT_RATE_LIMITS,
      ...configured,
    });
    limiters.set(deps, limiter);
  }
  return limiter;
}
