import { describe, expect, it } from 'vitest';
import { totalsByCurrency } from './currency-totals.js';

describe('totalsByCurrency', () => {
  it('keeps one total per currency and never adds two currencies', () => {
    const balances = [
      { currency: 'USD', minor: 25_075 },
      { currency: 'EUR', minor: 100_000 },
      { currency: 'EUR', minor: -15_050 },
      { currency: 'JPY', minor: 1_200 },
    ];
    expect(
      totalsByCurrency(
        balances,
        (b) => b.currency,
        (b) => b.minor,
      ),
    ).toEqual([
      { currency: 'EUR', totalMinor: 84_950 },
      { currency: 'JPY', totalMinor: 1_200 },
      { currency: 'USD', totalMinor: 25_075 },
    ]);
  });

  it('sums exactly past the float-safe range or refuses, never rounding', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(() =>
      totalsByCurrency(
        [big, 1],
        () => 'EUR',
        (v) => v,
      ),
    ).toThrow(/beyond/);
    expect(
      totalsByCurrency(
        [big, 1, -2],
        () => 'EUR',
        (v) => v,
      ),
    ).toEqual([{ currency: 'EUR', totalMinor: big - 1 }]);
  });
});
