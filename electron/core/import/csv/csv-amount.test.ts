import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorToDecimalString } from '../../../../shared/money/format-money.js';
import { parseCsvAmount } from './csv-amount.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('parseCsvAmount', () => {
  it('reads the default style through parseAmount', () => {
    expect(parseCsvAmount('1,234.56', 'USD', false)).toBe(123456);
    expect(parseCsvAmount(' -4.5 ', 'USD', false)).toBe(-450);
    expect(parseCsvAmount('(12.00)', 'USD', false)).toBe(-1200);
    expect(code(() => parseCsvAmount('12,50', 'EUR', false))).toBe('AMBIGUOUS_AMOUNT');
  });

  it('reads decimal-comma amounts with dot, space or no grouping', () => {
    expect(parseCsvAmount('1.234,56', 'EUR', true)).toBe(123456);
    expect(parseCsvAmount('-1.234.567,8', 'EUR', true)).toBe(-123456780);
    expect(parseCsvAmount('1 234,56', 'EUR', true)).toBe(123456);
    expect(parseCsvAmount('1\u00a0234,56', 'EUR', true)).toBe(123456);
    expect(parseCsvAmount('1234,5', 'EUR', true)).toBe(123450);
    expect(parseCsvAmount('+3,80', 'EUR', true)).toBe(380);
    expect(parseCsvAmount('(3,80)', 'EUR', true)).toBe(-380);
    expect(parseCsvAmount('12', 'JPY', true)).toBe(12);
    expect(parseCsvAmount('1,234', 'KWD', true)).toBe(1234);
  });

  it('refuses malformed decimal-comma amounts', () => {
    for (const bad of [
      '1.23,4',
      '1,234.56',
      '12.5',
      '1.2345,00',
      '',
      '-',
      '1,2,3',
      '(-1,00)',
      '1.234 567,00',
    ]) {
      expect(
        code(() => parseCsvAmount(bad, 'EUR', true)),
        bad,
      ).toBe('INVALID_AMOUNT');
    }
    expect(code(() => parseCsvAmount('1,234', 'EUR', true))).toBe('TOO_MANY_DECIMALS');
  });

  it('reads back every amount written in decimal-comma style', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('EUR', 'JPY', 'KWD'),
        (minor, currency) => {
          const plain = minorToDecimalString(minor, currency);
          const [whole = '', fraction] = plain.replace('-', '').split('.');
          const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
          const text = `${minor < 0 ? '-' : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`}`;
          expect(parseCsvAmount(text, currency, true)).toBe(minor);
        },
      ),
    );
  });
});
