import { describe, expect, it } from 'vitest';
import { isCofferError } from '../errors/coffer-error.js';
import {
  CURRENCY_EXPONENTS,
  CurrencyCodeSchema,
  currencyExponent,
  isCurrencyCode,
} from './currency.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isCofferError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('currency exponents', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['VND', 0],
    ['CLP', 0],
    ['XOF', 0],
    ['UGX', 0],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['INR', 2],
    ['HUF', 2],
    ['IDR', 2],
    ['CHF', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['LYD', 3],
    ['IQD', 3],
    ['CLF', 4],
    ['UYW', 4],
  ])('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
  });

  it('covers the active ISO 4217 list and nothing without a minor unit', () => {
    expect(Object.keys(CURRENCY_EXPONENTS).length).toBeGreaterThanOrEqual(150);
    for (const code of ['XAU', 'XAG', 'XDR', 'XTS', 'XXX', 'HRK', 'SLL', 'VEF', 'ZWL']) {
      expect(isCurrencyCode(code)).toBe(false);
    }
    for (const [code, exponent] of Object.entries(CURRENCY_EXPONENTS)) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(exponent);
    }
  });

  it('agrees with the Intl currency list on which codes exist', () => {
    const intl = new Set(Intl.supportedValuesOf('currency'));
    const missing = Object.keys(CURRENCY_EXPONENTS).filter((code) => !intl.has(code));
    // Intl lists no fund codes, and its data lags ISO; only those may be absent.
    const funds = ['BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'UYI', 'UYW'];
    const newest = ['XCG', 'ZWG', 'VED', 'SLE'];
    expect(missing.filter((code) => !funds.includes(code) && !newest.includes(code))).toEqual([]);
  });

  it('throws UNKNOWN_CURRENCY for anything else', () => {
    for (const bad of ['usd', 'US', 'USDD', 'ZZZ', '', ' USD', 'constructor', 'toString']) {
      expect(codeOf(() => currencyExponent(bad))).toBe('UNKNOWN_CURRENCY');
    }
    expect(() => currencyExponent('usd')).toThrow(/uppercase: "USD"/);
  });

  it('has a zod schema for known uppercase codes', () => {
    expect(CurrencyCodeSchema.safeParse('EUR').success).toBe(true);
    expect(CurrencyCodeSchema.safeParse('eur').success).toBe(false);
    expect(CurrencyCodeSchema.safeParse('ABC').success).toBe(false);
    expect(CurrencyCodeSchema.safeParse(978).success).toBe(false);
  });

  it('table cannot be modified at run time', () => {
    expect(Object.isFrozen(CURRENCY_EXPONENTS)).toBe(true);
  });
});
