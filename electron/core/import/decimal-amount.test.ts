import { describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { decimalToMinor } from './decimal-amount.js';

function codeOf(work: () => unknown): string | null {
  try {
    work();
    return null;
  } catch (err) {
    return isCofferError(err) ? err.code : 'not a CofferError';
  }
}

describe('decimalToMinor', () => {
  it('reads plain decimals exactly in the currency minor units', () => {
    expect(decimalToMinor('-4.50', 'USD')).toBe(-450);
    expect(decimalToMinor('+100', 'USD')).toBe(10_000);
    expect(decimalToMinor('.5', 'EUR')).toBe(50);
    expect(decimalToMinor('4.500', 'USD')).toBe(450);
    expect(decimalToMinor('1234', 'JPY')).toBe(1234);
    expect(decimalToMinor('1.234', 'BHD')).toBe(1234);
    expect(Object.is(decimalToMinor('-0.00', 'USD'), 0)).toBe(true);
  });

  it('is exact on both sides of fifteen digits, up to the largest safe integer', () => {
    expect(decimalToMinor('9999999999999.99', 'USD')).toBe(999_999_999_999_999);
    expect(decimalToMinor('-9999999999999.99', 'USD')).toBe(-999_999_999_999_999);
    expect(decimalToMinor('10000000000000.00', 'USD')).toBe(1_000_000_000_000_000);
    expect(decimalToMinor('90071992547409.91', 'USD')).toBe(Number.MAX_SAFE_INTEGER);
    expect(decimalToMinor('000000000000000000001.23', 'USD')).toBe(123);
  });

  it('refuses what is out of range, has too many decimals or is no number', () => {
    expect(codeOf(() => decimalToMinor('90071992547409.92', 'USD'))).toBe('AMOUNT_OUT_OF_RANGE');
    expect(codeOf(() => decimalToMinor('4.505', 'USD'))).toBe('TOO_MANY_DECIMALS');
    expect(codeOf(() => decimalToMinor('.', 'USD'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => decimalToMinor('1e5', 'USD'))).toBe('INVALID_AMOUNT');
  });
});
