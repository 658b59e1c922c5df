import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCofferError } from '../errors/coffer-error.js';
import { CURRENCY_EXPONENTS } from './currency.js';
import { minorToDecimalString } from './format-money.js';
import { parseAmount, parseDecimalToScaled } from './parse-amount.js';

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

describe('parseAmount accepts what people type', () => {
  it.each([
    ['1,234.56', 'USD', 123456],
    ['1234.56', 'USD', 123456],
    ['-12', 'USD', -1200],
    ['12', 'USD', 1200],
    ['+5.5', 'USD', 550],
    ['(12.00)', 'USD', -1200],
    ['( 12.00 )', 'USD', -1200],
    ['−3.10', 'USD', -310],
    ['12.345', 'KWD', 12345],
    ['12.3', 'KWD', 12300],
    ['1,234,567.891', 'KWD', 1234567891],
    ['1234', 'JPY', 1234],
    ['1,234', 'JPY', 1234],
    ['1,234', 'USD', 123400],
    ['1 234 567.89', 'EUR', 123456789],
    ['1\u00a0234.50', 'EUR', 123450],
    ['1\u202f234.50', 'EUR', 123450],
    ["1'234.50", 'CHF', 123450],
    ['1’234.50', 'CHF', 123450],
    ['12,34,567.50', 'INR', 123456750],
    ['  7.5\t', 'USD', 750],
    ['.5', 'USD', 50],
    ['5.', 'USD', 500],
    ['0', 'USD', 0],
    ['-0', 'USD', 0],
    ['007.10', 'USD', 710],
    ['1000.00', 'JPY', 1000],
    ['12.3400', 'USD', 1234],
    ['0.0001', 'CLF', 1],
    ['90071992547409.91', 'USD', MAX],
    ['-90,071,992,547,409.91', 'USD', -MAX],
    ['9007199254740991', 'JPY', MAX],
  ])('%j in %s is %i', (input, currency, expected) => {
    const value = parseAmount(input, currency);
    expect(value).toBe(expected);
    expect(Object.is(value, -0)).toBe(false);
  });
});

describe('parseAmount refuses, with a specific code', () => {
  it.each([
    ['1,23', 'USD'],
    ['12,5', 'USD'],
    ['12,50', 'EUR'],
    [',5', 'USD'],
    ['1.234,56', 'EUR'],
    ['1.234.567,89', 'EUR'],
    ['1,234,56', 'USD'],
    ['1234,567', 'USD'],
    ['1,234', 'KWD'],
    ['12,', 'USD'],
    ['1,2345', 'USD'],
    ['1 234,5', 'EUR'],
    ['1\u00a0234,50', 'EUR'],
  ])('AMBIGUOUS_AMOUNT for %j in %s', (input, currency) => {
    expect(codeOf(() => parseAmount(input, currency))).toBe('AMBIGUOUS_AMOUNT');
  });

  it('suggests the decimal-point reading', () => {
    expect(() => parseAmount('12,5', 'USD')).toThrow(/use "\." for decimals \(e\.g\. "12\.5"\)/i);
    expect(() => parseAmount('1.234,56', 'EUR')).toThrow(/"1234\.56"/);
    expect(() => parseAmount('1,234', 'KWD')).toThrow(/KWD has 3 decimals.*"1234"/);
  });

  it.each([
    ['12.345', 'USD'],
    ['0.001', 'EUR'],
    ['12.5', 'JPY'],
    ['1.0001', 'KWD'],
    ['1,234.567', 'USD'],
  ])('TOO_MANY_DECIMALS for %j in %s', (input, currency) => {
    expect(codeOf(() => parseAmount(input, currency))).toBe('TOO_MANY_DECIMALS');
  });

  it.each([
    '',
    '   ',
    '1e5',
    '1E5',
    'NaN',
    'Infinity',
    '-Infinity',
    '12.3.4',
    '--1',
    '+-1',
    '-+1',
    '0x10',
    '1_000',
    '.',
    '-',
    '()',
    '(-12)',
    '-(12)',
    '12-',
    'abc',
    '$12',
    '12 USD',
    '1,2345,678',
    '12 34',
    '1,234 567',
    '1 23',
    '1,23.45',
    '1.2.3',
    '1.234.567',
    '١٢٣',
    '1.23 4',
    '- 12',
    '12\n34',
    '\u0000',
    '1'.repeat(101),
  ])('INVALID_AMOUNT for %j', (input) => {
    expect(codeOf(() => parseAmount(input, 'USD'))).toBe('INVALID_AMOUNT');
  });

  it('INVALID_AMOUNT for non-strings', () => {
    for (const bad of [12, 12.5, null, undefined, {}, 12n]) {
      expect(codeOf(() => parseAmount(bad as never, 'USD'))).toBe('INVALID_AMOUNT');
    }
  });

  it.each([
    ['90071992547409.92', 'USD'],
    ['9007199254740992', 'JPY'],
    ['-9007199254740992', 'JPY'],
    ['99999999999999999999999999', 'USD'],
    ['9007199254740.992', 'KWD'],
  ])('AMOUNT_OUT_OF_RANGE for %j in %s', (input, currency) => {
    expect(codeOf(() => parseAmount(input, currency))).toBe('AMOUNT_OUT_OF_RANGE');
  });

  it('UNKNOWN_CURRENCY before looking at the amount', () => {
    expect(codeOf(() => parseAmount('12', 'usd'))).toBe('UNKNOWN_CURRENCY');
    expect(codeOf(() => parseAmount('garbage', 'XXX'))).toBe('UNKNOWN_CURRENCY');
  });
});

describe('parseDecimalToScaled', () => {
  it('scales exactly', () => {
    expect(parseDecimalToScaled('1.5', 3)).toBe(1500n);
    expect(parseDecimalToScaled('20', 4)).toBe(200000n);
    expect(parseDecimalToScaled('8.25', 4)).toBe(82500n);
    expect(parseDecimalToScaled('-0.001', 3)).toBe(-1n);
    expect(parseDecimalToScaled('1,000', 0)).toBe(1000n);
  });

  it('uses the same error codes', () => {
    expect(codeOf(() => parseDecimalToScaled('1.2345', 3))).toBe('TOO_MANY_DECIMALS');
    expect(codeOf(() => parseDecimalToScaled('1,5', 3))).toBe('AMBIGUOUS_AMOUNT');
    expect(codeOf(() => parseDecimalToScaled('1,500', 3))).toBe('AMBIGUOUS_AMOUNT');
    expect(codeOf(() => parseDecimalToScaled('1e3', 3))).toBe('INVALID_AMOUNT');
    expect(codeOf(() => parseDecimalToScaled('9007199254740992', 0))).toBe('AMOUNT_OUT_OF_RANGE');
    expect(codeOf(() => parseDecimalToScaled('1', -1))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseDecimalToScaled('1', 1.5))).toBe('INVALID_INPUT');
  });
});

describe('parseAmount properties', () => {
  const currencies = Object.keys(CURRENCY_EXPONENTS);

  it('round-trips minorToDecimalString for every safe integer and currency', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.constantFrom(...currencies), (minor, currency) => {
        expect(parseAmount(minorToDecimalString(minor, currency), currency)).toBe(minor);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads en-US grouped output the same as plain digits', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger(),
        fc.constantFrom('USD', 'JPY', 'EUR', 'CLF'),
        (minor, currency) => {
          const plain = minorToDecimalString(minor, currency);
          const [whole = '', fraction] = plain.replace('-', '').split('.');
          const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
          const text = `${minor < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
          // "1,234" with no decimals is refused only for 3+ decimal currencies, never misread.
          expect(parseAmount(text, currency)).toBe(minor);
        },
      ),
    );
  });

  it('never returns a value for random text except a correct one', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        let value: number | undefined;
        try {
          value = parseAmount(text, 'USD');
        } catch (error) {
          expect(isCofferError(error)).toBe(true);
          return;
        }
        expect(Number.isSafeInteger(value)).toBe(true);
      }),
    );
  });
});
