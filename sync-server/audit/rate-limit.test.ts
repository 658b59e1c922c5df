import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../clock.js';
import { HttpError } from '../http/errors.js';
import { openSqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { RequestRateLimiter } from './rate-limit.js';
import { TokenBuckets } from './token-buckets.js';

function thrown(fn: () => void): HttpError | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  return undefined;
}

async function refused(promise: Promise<void>): Promise<HttpError | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  return undefined;
}

let storage: SqliteStorage;
beforeEach(() => {
  storage = openSqliteStorage(':memory:');
});
afterEach(async () => storage.close());

describe('TokenBuckets', () => {
  it('allows a burst of `limit`, then one more per windowMs / limit', () => {
    const clock = new ManualClock();
    const buckets = new TokenBuckets(clock, { limit: 3, windowMs: 3_000 });
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1_000);
    clock.advance(400);
    expect(buckets.take('a')).toBe(600);
    clock.advance(600);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1_000);
    // Other keys have their own buckets.
    expect(buckets.take('b')).toBe(0);
  });

  it('never refills past the limit, and a clock set back refills nothing', () => {
    const clock = new ManualClock();
    const buckets = new TokenBuckets(clock, { limit: 2, windowMs: 1_000 });
    buckets.take('a');
    clock.advance(60_000);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 500]);
    clock.advance(-10_000);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it('keeps memory bounded, dropping idle keys first', () => {
    const clock = new ManualClock();
    const buckets = new TokenBuckets(clock, { limit: 2, windowMs: 1_000 }, 100);
    buckets.take('busy');
    buckets.take('busy');
    for (let i = 0; i < 98; i += 1) buckets.take(`idle-${i}`);
    clock.advance(5_000);
    buckets.take('busy');
    buckets.take('busy');
    for (let i = 0; i < 500; i += 1) buckets.take(`new-${i}`);
    expect(buckets.size).toBeLessThanOrEqual(100);
  });
});

describe('RequestRateLimiter', () => {
  it('answers 429 RATE_LIMITED with Retry-After per IP, other IPs unaffected', () => {
    const clock = new ManualClock();
    const limiter = new RequestRateLimiter(clock, storage.counters, {
      perIp: { limit: 2, windowMs: 60_000 },
      perAccount: null,
    });
    limiter.checkIp('198.51.100.1');
    limiter.checkIp('198.51.100.1');
    const error = thrown(() => limiter.checkIp('198.51.100.1'));
    expect(error).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    expect(error?.headers['retry-after']).toBe('30');
    expect(thrown(() => limiter.checkIp('198.51.100.2'))).toBeUndefined();
    // The same IPv6 /64 counts as one client.
    limiter.checkIp('2001:db8::1');
    limiter.checkIp('2001:db8::2');
    expect(thrown(() => limiter.checkIp('2001:db8::3'))?.statusCode).toBe(429);
    clock.advance(30_000);
    expect(thrown(() => limiter.checkIp('198.51.100.1'))).toBeUndefined();
  });

  it('limits per account in storage, and can be reconfigured or turned off', async () => {
    const clock = new ManualClock();
    const limiter = new RequestRateLimiter(clock, storage.counters, {
      perIp: null,
      perAccount: { limit: 1, windowMs: 10_000 },
    });
    await limiter.checkAccount('u1');
    expect((await refused(limiter.checkAccount('u1')))?.headers['retry-after']).toBe('10');
    expect(await refused(limiter.checkAccount('u2'))).toBeUndefined();
    for (let i = 0; i < 1_000; i += 1) limiter.checkIp('198.51.100.1');
    // Another limiter on the same storage (a restarted server) sees the same allowance.
    const restarted = new RequestRateLimiter(clock, storage.counters, limiter.settings);
    expect((await refused(restarted.checkAccount('u1')))?.statusCode).toBe(429);
    limiter.configure({ perAccount: null });
    expect(await refused(limiter.checkAccount('u1'))).toBeUndefined();
    expect(limiter.settings).toEqual({ perIp: null, perAccount: null });
    expect(() => limiter.configure({ perIp: { limit: 0, windowMs: 1 } })).toThrow(RangeError);
    expect(() => limiter.configure({ perAccount: { limit: 1, windowMs: 0 } })).toThrow(RangeError);
  });
});
