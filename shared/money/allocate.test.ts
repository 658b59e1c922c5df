import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCofferError } from '../errors/coffer-error.js';
import { allocate, splitEvenly } from './allocate.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  return undefined;
}

const MAX = Number.MAX_SAFE_INTEGER;

describe('allocate', () => {
  it.each([
    [10000, [1, 1, 1], [3334, 3333, 3333]],
    [-10000, [1, 1, 1], [-3334, -3333, -3333]],
    [100, [1, 1, 1], [34, 33, 33]],
    [2, [1, 1, 1], [1, 1, 0]],
    [1, [1, 1, 1], [1, 0, 0]],
    [0, [1, 2], [0, 0]],
    [100, [1, 0, 1], [50, 0, 50]],
    [101, [0, 1, 1], [0, 51, 50]],
    [5, [0, 1], [0, 5]],
    [100, [70, 30], [70, 30]],
    [10, [3, 3, 4], [3, 3, 4]],
    [7, [1, 2, 4], [1, 2, 4]],
    [8, [1, 2, 4], [1, 2, 5]], // remainders 1/7, 2/7, 4/7 → the largest gets the cent
    [MAX, [1, 1], [4503599627370496, 4503599627370495]],
    [-MAX, [MAX, 1], [-(MAX - 1), -1]],
  ])('%i by %j → %j', (total, weights, expected) => {
    const shares = allocate(total, weights);
    expect(shares).toEqual(expected);
    expect(shares.some((share) => Object.is(share, -0))).toBe(false);
  });

  it('refuses bad input', () => {
    expect(codeOf(() => allocate(100, []))).toBe('INVALID_INPUT');
    expect(codeOf(() => allocate(100, [0, 0]))).toBe('INVALID_INPUT');
    expect(codeOf(() => allocate(100, [1, -1]))).toBe('INVALID_INPUT');
    expect(codeOf(() => allocate(100, [1.5]))).toBe('INVALID_INPUT');
    expect(codeOf(() => allocate(100, [Number.NaN]))).toBe('INVALID_INPUT');
    expect(codeOf(() => allocate(1.5, [1]))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => allocate(MAX + 1, [1]))).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('never loses or creates a minor unit, and each share is within 1 of its exact share', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc
          .array(fc.oneof(fc.nat(10), fc.nat(), fc.maxSafeNat()), { minLength: 1, maxLength: 20 })
          .filter((weights) => weights.some((w) => w > 0)),
        (total, weights) => {
          const shares = allocate(total, weights);
          expect(shares).toHaveLength(weights.length);
          expect(shares.reduce((sum, s) => sum + BigInt(s), 0n)).toBe(BigInt(total));
          const weightSum = weights.reduce((sum, w) => sum + BigInt(w), 0n);
          shares.forEach((share, i) => {
            expect(Number.isSafeInteger(share)).toBe(true);
            // |share - total·w/W| < 1  ⇔  |share·W - total·w| < W
            const gap = BigInt(share) * weightSum - BigInt(total) * BigInt(weights[i] ?? 0);
            expect((gap < 0n ? -gap : gap) < weightSum).toBe(true);
            if (weights[i] === 0) expect(share).toBe(0);
            if (total !== 0 && share !== 0) expect(Math.sign(share)).toBe(Math.sign(total));
          });
          expect(allocate(-total, weights)).toEqual(shares.map((s) => (s === 0 ? 0 : -s)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('splitEvenly', () => {
  it('splits as evenly as possible, larger shares first', () => {
    expect(splitEvenly(100, 3)).toEqual([34, 33, 33]);
    expect(splitEvenly(-100, 3)).toEqual([-34, -33, -33]);
    expect(splitEvenly(10, 1)).toEqual([10]);
    expect(splitEvenly(3, 5)).toEqual([1, 1, 1, 0, 0]);
  });

  it('refuses a bad number of parts', () => {
    for (const parts of [0, -1, 1.5, Number.NaN, 2_000_000]) {
      expect(codeOf(() => splitEvenly(100, parts))).toBe('INVALID_INPUT');
    }
  });

  it('shares differ by at most one and sum to the total', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.integer({ min: 1, max: 50 }), (total, parts) => {
        const shares = splitEvenly(total, parts);
        expect(shares.reduce((sum, s) => sum + BigInt(s), 0n)).toBe(BigInt(total));
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
