import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  amountToMinor,
  readAmountCell,
  readAmountParts,
  type DecimalSeparator,
} from './amount-cell.js';

const minor = (cell: string, decimal: DecimalSeparator, currency = 'EUR'): number => {
  const read = readAmountCell(cell);
  if (read === null) throw new Error(`not an amount: ${cell}`);
  return amountToMinor(read, decimal, currency, cell);
};

describe('amount cells', () => {
  it('says which decimal separator a cell shows, or that it cannot tell', () => {
    expect(readAmountCell('1.234,56')).toMatchObject({ style: ',', ambiguous: false });
    expect(readAmountCell('1,234.56')).toMatchObject({ style: '.', ambiguous: false });
    expect(readAmountCell('12,5')).toMatchObject({ style: ',', ambiguous: false });
    expect(readAmountCell('1.234.567')).toMatchObject({ style: ',', ambiguous: false });
    expect(readAmountCell('1,234')).toMatchObject({ style: null, ambiguous: true });
    expect(readAmountCell("1'234.567")).toMatchObject({ style: '.', ambiguous: false });
    expect(readAmountCell('1234')).toMatchObject({ style: null, ambiguous: false });
  });

  it('reads signs, symbols, codes and grouping', () => {
    expect(minor('-123,45 €', ',')).toBe(-12345);
    expect(readAmountCell('-123,45 €')?.currency).toBe('EUR');
    expect(minor('EUR 1.234,56', ',')).toBe(123456);
    expect(minor("CHF 1'234.50", '.', 'CHF')).toBe(123450);
    expect(minor('$20.00', '.', 'USD')).toBe(2000);
    expect(readAmountCell('$20.00')?.currency).toBeNull();
    expect(minor('(1,234.50)', '.', 'USD')).toBe(-123450);
    expect(minor('12.34-', '.', 'USD')).toBe(-1234);
    expect(minor('+7', '.', 'USD')).toBe(700);
    expect(minor('−3,10', ',')).toBe(-310);
    expect(minor('1 234 567,89', ',')).toBe(123456789);
    expect(minor('1\u00a0234,89', ',')).toBe(123489);
    expect(minor('-£5.00', '.', 'GBP')).toBe(-500);
    expect(minor('1500', '.', 'JPY')).toBe(1500);
    expect(minor('1.250', '.', 'BHD')).toBe(1250);
  });

  it('reads a trailing DR or CR as the sign, and refuses a marked number with its own sign', () => {
    expect(minor('23.40 DR', '.', 'AUD')).toBe(-2340);
    expect(minor('2,500.00 CR', '.', 'AUD')).toBe(250000);
    expect(minor('23.40Dr', '.', 'AUD')).toBe(-2340);
    expect(minor('$23.40 cr.', '.', 'AUD')).toBe(2340);
    expect(minor('1.234,56 DR', ',')).toBe(-123456);
    for (const conflicting of ['-23.40 DR', '(23.40) CR', '23.40- DR', '+5 DR', 'DR', 'ABCR']) {
      expect(readAmountCell(conflicting), conflicting).toBeNull();
    }
  });

  it('refuses what is no amount or does not fit the file style', () => {
    for (const bad of ['', 'abc', '12a', '--5', '1.2.3e4', 'EUR']) {
      expect(readAmountCell(bad), bad).toBeNull();
    }
    expect(() => minor('1.234,56', '.', 'USD')).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
    expect(() => minor('1,23,4.00', '.', 'USD')).toThrow(
      expect.objectContaining({ code: 'INVALID_AMOUNT' }),
    );
    expect(() => minor('12,345', ',', 'USD')).toThrow(
      expect.objectContaining({ code: 'TOO_MANY_DECIMALS' }),
    );
  });

  it('reads back any amount written in either style', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }),
        fc.constantFrom<DecimalSeparator>('.', ','),
        fc.boolean(),
        (value, decimal, grouped) => {
          const abs = Math.abs(value);
          const whole = String(Math.floor(abs / 100));
          const fraction = String(abs % 100).padStart(2, '0');
          const grouping = decimal === '.' ? ',' : '.';
          const body = grouped ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, grouping) : whole;
          const cell = `${value < 0 ? '-' : ''}${body}${decimal}${fraction}`;
          expect(minor(cell, decimal)).toBe(value);
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });

  it('reads the same sign, digits and currency without the separator question', () => {
    const cells = [
      '(12.50)',
      '-$20.00',
      'EUR 1.234,56',
      '12.34-',
      '−3,10',
      '1,234',
      "CHF 1'234.50",
    ];
    for (const cell of [...cells, '', 'abc', '--5']) {
      const full = readAmountCell(cell);
      const parts = readAmountParts(cell);
      expect(
        parts === null
          ? null
          : { negative: parts.negative, body: parts.body, currency: parts.currency },
        cell,
      ).toEqual(
        full === null
          ? null
          : { negative: full.negative, body: full.body, currency: full.currency },
      );
    }
  });
});
