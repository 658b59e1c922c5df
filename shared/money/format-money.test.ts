import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCofferError } from '../errors/coffer-error.js';
import { CURRENCY_EXPONENTS } from './currency.js';
import { formatMoney, minorToDecimalString, scaledToDecimalString } from './format-money.js';

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

describe('minorToDecimalString', () => {
  it.each([
    [-123456, 'USD', '-1234.56'],
    [5, 'USD', '0.05'],
    [-5, 'USD', '-0.05'],
    [0, 'USD', '0.00'],
    [-0, 'USD', '0.00'],
    [1234, 'JPY', '1234'],
    [-1234, 'JPY', '-1234'],
    [5, 'KWD', '0.005'],
    [12345, 'KWD', '12.345'],
    [1, 'CLF', '0.0001'],
    [MAX, 'USD', '90071992547409.91'],
    [-MAX, 'JPY', '-9007199254740991'],
  ])('%i %s → %s', (minor, currency, expected) => {
    expect(minorToDecimalString(minor, currency)).toBe(expected);
  });

  it('refuses what is not an amount', () => {
    expect(codeOf(() => minorToDecimalString(1.5, 'USD'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => minorToDecimalString(Number.NaN, 'USD'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => minorToDecimalString(MAX + 1, 'USD'))).toBe('AMOUNT_OUT_OF_RANGE');
    expect(codeOf(() => minorToDecimalString(1, 'ABC'))).toBe('UNKNOWN_CURRENCY');
  });

  it('scaledToDecimalString handles any scale', () => {
    expect(scaledToDecimalString(1500n, 3)).toBe('1.500');
    expect(scaledToDecimalString(-1n, 4)).toBe('-0.0001');
    expect(scaledToDecimalString(10n ** 30n, 2)).toBe(`1${'0'.repeat(28)}.00`);
    expect(codeOf(() => scaledToDecimalString(1n, -1))).toBe('INVALID_INPUT');
  });
});

describe('formatMoney', () => {
  it.each([
    [123456, 'USD', 'en-US', '$1,234.56'],
    [-123456, 'USD', 'en-US', '-$1,234.56'],
    [123456, 'JPY', 'en-US', '¥123,456'],
    [1234567, 'KWD', 'en-US', 'KWD 1,234.567'],
    [123456, 'EUR', 'de-DE', '1.234,56 €'],
    [5, 'USD', 'en-US', '$0.05'],
    [MAX, 'USD', 'en-US', '$90,071,992,547,409.91'],
  ])('%i %s in %s → %s', (minor, currency, locale, expected) => {
    // Intl uses no-break spaces in some locales; compare with plain spaces.
    expect(formatMoney(minor, currency, locale).replace(/[\u00a0\u202f]/g, ' ')).toBe(expected);
  });

  it('defaults to en-US', () => {
    expect(formatMoney(100, 'USD')).toBe('$1.00');
  });

  it('shows exactly the currency decimals, even where Intl would show others', () => {
    expect(formatMoney(12345, 'CLF')).toMatch(/1\.2345$/);
    expect(formatMoney(1234, 'ISK', 'en-US')).toMatch(/1,234$/);
    expect(formatMoney(100, 'IQD', 'en-US')).toMatch(/0\.100$/);
  });

  it('gives clear errors', () => {
    expect(codeOf(() => formatMoney(1, 'usd'))).toBe('UNKNOWN_CURRENCY');
    expect(codeOf(() => formatMoney(0.1, 'USD'))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => formatMoney(1, 'USD', 'not a locale!'))).toBe('INVALID_INPUT');
  });

  it('keeps every digit, in order, for any amount and currency', () => {
    const currencies = Object.keys(CURRENCY_EXPONENTS);
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.constantFrom(...currencies),
        fc.constantFrom('en-US', 'de-DE', 'fr-FR', 'ja-JP', 'en-IN'),
        (minor, currency, locale) => {
          const formatted = formatMoney(minor, currency, locale);
          const digitsOf = (s: string): string => s.replace(/[^0-9]/g, '');
          expect(digitsOf(formatted)).toBe(digitsOf(minorToDecimalString(minor, currency)));
          expect(/[-−]/.test(formatted)).toBe(minor < 0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
