import type { Clock } from '../clock.js';

/** `limit` requests per `windowMs`, refilled continuously (a token bucket). */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Keys kept at most; beyond it, full (idle) buckets go first, then the oldest. */
const DEFAULT_MAX_KEYS = 100_000;

/**
 * One token bucket per key, in memory: a key may burst up to `limit` requests, then gets
 * one more every `windowMs / limit`. A bucket that has refilled completely is the same as
 * no bucket, so idle keys can be dropped without changing any answer.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    readonly rate: RateLimit,
    private readonly maxKeys: number = DEFAULT_MAX_KEYS,
  ) {}

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.clock.now();
    const perMs = this.rate.limit / this.rate.windowMs;
    const bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.rate.limit < 1) return Math.ceil(1 / perMs);
      this.makeRoom(now);
      this.buckets.set(key, { tokens: this.rate.limit - 1, at: now });
      return 0;
    }
    // A clock set back (tests do) refills nothing rather than draining the bucket.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(this.rate.limit, bucket.tokens + elapsed * perMs);
    bucket.at = Math.max(bucket.at, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / perMs);
  }

  get size(): number {
    return this.buckets.size;
  }

  private makeRoom(now: number): void {
    if (this.buckets.size < this.maxKeys) return;
    const perMs = this.rate.limit / this.rate.windowMs;
    // Full buckets first: dropping them changes no answer.
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + Math.max(0, now - bucket.at) * perMs >= this.rate.limit) {
        this.buckets.delete(key);
      }
    }
    // Evict down to 90 % so the next insertions do not sweep again at once.
    const target = Math.floor(this.maxKeys * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}
