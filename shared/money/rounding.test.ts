import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCofferError } from '../errors/coffer-error.js';
import { divRoundHalfUp } from './rounding.js';

describe('divRoundHalfUp', () => {
  it.each([
    [5n, 2n, 3n],
    [-5n, 2n, -3n],
    [7n, 2n, 4n],
    [-7n, 2n, -4n],
    [4n, 3n, 1n],
    [5n, 3n, 2n],
    [-4n, 3n, -1n],
    [-5n, 3n, -2n],
    [1n, 3n, 0n],
    [-1n, 3n, 0n],
    [0n, 7n, 0n],
    [10n, 5n, 2n],
    [-10n, 5n, -2n],
    [12345n * 825n, 10000n, 1018n], // 123.45 at 8.25 % tax: 10.184625 → 10.18
    [15n, 10n, 2n],
    [-15n, 10n, -2n],
    [149n, 100n, 1n],
    [150n, 100n, 2n],
  ])('%s / %s → %s', (n, d, expected) => {
    expect(divRoundHalfUp(n, d)).toBe(expected);
  });

  it('throws INVALID_INPUT for a zero or negative denominator', () => {
    for (const d of [0n, -1n]) {
      let code: string | undefined;
      try {
        divRoundHalfUp(1n, d);
      } catch (error) {
        code = isCofferError(error) ? error.code : 'other';
      }
      expect(code).toBe('INVALID_INPUT');
    }
  });

  it('is within half a unit, halves away from zero, and odd-symmetric', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 12n }), (n, d) => {
        const q = divRoundHalfUp(n, d);
        const error = q * d - n; // scaled by d
        const twice = 2n * (error < 0n ? -error : error);
        expect(twice <= d).toBe(true);
        if (twice === d)
          expect(q * n >= 0n && (q < 0n ? -q : q) * d > (n < 0n ? -n : n)).toBe(true);
        expect(divRoundHalfUp(-n, d)).toBe(-q);
      }),
    );
  });
});
