import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  ROUND_BACKOFF,
  SOCKET_BACKOFF,
  backoffDelay,
  parseRetryAfter,
  retryDelay,
} from './backoff-policy.js';

describe('backoff policy (full jitter, capped)', () => {
  it('draws uniformly below base·2^failures, so the ceiling doubles with each failure', () => {
    const policy = { baseMs: 1_000, capMs: 60_000, floorMs: 0 };
    // The largest draw approaches the ceiling; half a draw is half of it.
    expect(backoffDelay(policy, 0, 0.999_999)).toBe(999);
    expect(backoffDelay(policy, 1, 0.5)).toBe(1_000);
    expect(backoffDelay(policy, 3, 0.5)).toBe(4_000);
    expect(backoffDelay(policy, 5, 0.25)).toBe(8_000);
    // From 2^6 s on, the cap is the ceiling.
    expect(backoffDelay(policy, 6, 0.5)).toBe(30_000);
    expect(backoffDelay(policy, 60, 0.5)).toBe(30_000);
  });

  it('stays within [floor, min(cap, base·2^n)] for any failure count and draw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(ROUND_BACKOFF, SOCKET_BACKOFF),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (policy, failures, random) => {
          const delay = backoffDelay(policy, failures, random);
          const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(failures, 30));
          expect(delay).toBeGreaterThanOrEqual(policy.floorMs);
          expect(delay).toBeLessThanOrEqual(Math.max(policy.floorMs, ceiling));
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('a draw of zero still waits the floor: no busy loop against a server that is down', () => {
    expect(backoffDelay(ROUND_BACKOFF, 0, 0)).toBe(ROUND_BACKOFF.floorMs);
    expect(backoffDelay(ROUND_BACKOFF, 12, 0)).toBe(ROUND_BACKOFF.floorMs);
  });

  it("never retries before the server's Retry-After, even past the cap", () => {
    const policy = { baseMs: 1_000, capMs: 10_000, floorMs: 0 };
    expect(retryDelay(policy, 0, 0.5)).toBe(500);
    expect(retryDelay(policy, 0, 0.5, 30_000)).toBe(30_000);
    expect(retryDelay(policy, 4, 0.9, 2_000)).toBe(9_000);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 11, 5, 12, 0, 0);

  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90_000);
    // A date already past means now.
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0);
  });

  it('ignores what it cannot read and bounds what it can', () => {
    for (const value of [undefined, '', 'soon', '-5', '1.5', '12abc']) {
      expect(parseRetryAfter(value, now), String(value)).toBeUndefined();
    }
    expect(parseRetryAfter('99999999', now)).toBe(24 * 60 * 60_000);
  });
});
