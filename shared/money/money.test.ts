import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCofferError } from '../errors/coffer-error.js';
import {
  MinorUnitsSchema,
  MoneySchema,
  assertMinorUnits,
  bigintToMinor,
  sumMinor,
} from './money.js';

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

describe('MinorUnitsSchema / MoneySchema', () => {
  it('accepts safe integers only', () => {
    for (const ok of [0, -1, 1, MAX, -MAX])
      expect(MinorUnitsSchema.safeParse(ok).success).toBe(true);
    for (const bad of [0.5, MAX + 1, -MAX - 1, Number.NaN, Infinity, '12', 12n, null]) {
      expect(MinorUnitsSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('needs a known currency and no extra keys', () => {
    expect(MoneySchema.safeParse({ amountMinor: 1234, currency: 'USD' }).success).toBe(true);
    expect(MoneySchema.safeParse({ amountMinor: 1234, currency: 'usd' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amountMinor: 12.34, currency: 'USD' }).success).toBe(false);
    expect(MoneySchema.safeParse({ amountMinor: 1, currency: 'USD', extra: 1 }).success).toBe(
      false,
    );
  });
});

describe('sumMinor', () => {
  it('adds exactly', () => {
    expect(sumMinor([])).toBe(0);
    expect(sumMinor([1, 2, 3])).toBe(6);
    expect(Object.is(sumMinor([-0]), 0)).toBe(true);
    expect(sumMinor([MAX, 1, -1])).toBe(MAX); // partial sum leaves the range and comes back
    expect(sumMinor([MAX, -MAX])).toBe(0);
  });

  it('throws AMOUNT_OUT_OF_RANGE past the safe range', () => {
    expect(codeOf(() => sumMinor([MAX, 1]))).toBe('AMOUNT_OUT_OF_RANGE');
    expect(codeOf(() => sumMinor([-MAX, -1]))).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('refuses non-integers', () => {
    expect(codeOf(() => sumMinor([1, 0.5]))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => sumMinor([Number.NaN]))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => sumMinor([MAX, 1, 0.5]))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => sumMinor([MAX + 1]))).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('equals the bigint sum for any safe integers', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeInteger()), (values) => {
        const exact = values.reduce((sum, v) => sum + BigInt(v), 0n);
        if (exact > BigInt(MAX) || exact < -BigInt(MAX)) {
          expect(codeOf(() => sumMinor(values))).toBe('AMOUNT_OUT_OF_RANGE');
        } else {
          expect(sumMinor(values)).toBe(Number(exact));
        }
      }),
    );
  });
});

describe('assertMinorUnits / bigintToMinor', () => {
  it('checks range', () => {
    expect(assertMinorUnits(5)).toBe(5);
    expect(codeOf(() => assertMinorUnits('5'))).toBe('INVALID_AMOUNT');
    expect(bigintToMinor(BigInt(MAX))).toBe(MAX);
    expect(codeOf(() => bigintToMinor(BigInt(MAX) + 1n))).toBe('AMOUNT_OUT_OF_RANGE');
  });
});
