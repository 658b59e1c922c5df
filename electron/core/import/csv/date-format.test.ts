import { describe, expect, it } from 'vitest';
import { detectDateFormat, parseCsvDate } from './date-format.js';

describe('CSV dates', () => {
  it('parses each format to an ISO date and refuses impossible days', () => {
    expect(parseCsvDate('2024-02-29', 'YYYY-MM-DD')).toBe('2024-02-29');
    expect(parseCsvDate('2024/02/29', 'YYYY-MM-DD')).toBe('2024-02-29');
    expect(parseCsvDate('29/02/2024', 'DD/MM/YYYY')).toBe('2024-02-29');
    expect(parseCsvDate('2/29/2024', 'MM/DD/YYYY')).toBe('2024-02-29');
    expect(parseCsvDate('1.3.2024', 'DD.MM.YYYY')).toBe('2024-03-01');
    expect(parseCsvDate('01-03-2024', 'DD/MM/YYYY')).toBe('2024-03-01');
    expect(parseCsvDate('20240229', 'YYYYMMDD')).toBe('2024-02-29');
    expect(parseCsvDate('2023-02-29', 'YYYY-MM-DD')).toBeNull();
    expect(parseCsvDate('31/04/2024', 'DD/MM/YYYY')).toBeNull();
    expect(parseCsvDate('01/01/0900', 'DD/MM/YYYY')).toBeNull();
    expect(parseCsvDate('2024-13-01', 'YYYY-MM-DD')).toBeNull();
  });

  it('reads two-digit years as 2000–2069 and 1970–1999', () => {
    expect(parseCsvDate('29.12.24', 'DD.MM.YYYY')).toBe('2024-12-29');
    expect(parseCsvDate('1/2/69', 'MM/DD/YYYY')).toBe('2069-01-02');
    expect(parseCsvDate('1/2/70', 'MM/DD/YYYY')).toBe('1970-01-02');
    expect(parseCsvDate('31-12-99', 'DD/MM/YYYY')).toBe('1999-12-31');
    expect(parseCsvDate('24-12-31', 'YYYY-MM-DD')).toBeNull();
  });

  it('ignores a time and never shifts the day by a time zone', () => {
    expect(parseCsvDate('29.12.24, 13:56', 'DD.MM.YYYY')).toBe('2024-12-29');
    expect(parseCsvDate('2021-02-03 13:12', 'YYYY-MM-DD')).toBe('2021-02-03');
    expect(parseCsvDate('2021-02-03 13:12:45', 'YYYY-MM-DD')).toBe('2021-02-03');
    expect(parseCsvDate('2024-01-31T23:30:00Z', 'YYYY-MM-DD')).toBe('2024-01-31');
    expect(parseCsvDate('2024-01-31T23:30:00.123-08:00', 'YYYY-MM-DD')).toBe('2024-01-31');
    expect(parseCsvDate('2024-01-01T00:15:00+14:00', 'YYYY-MM-DD')).toBe('2024-01-01');
    expect(parseCsvDate('01/31/2024 11:59 PM', 'MM/DD/YYYY')).toBe('2024-01-31');
    expect(parseCsvDate('2024-01-31 garbage', 'YYYY-MM-DD')).toBeNull();
  });

  it('reads month names in English, German, French, Spanish, Italian and Dutch', () => {
    expect(parseCsvDate('23-Jan-15', 'D MMM YYYY')).toBe('2015-01-23');
    expect(parseCsvDate('06 May 2020', 'D MMM YYYY')).toBe('2020-05-06');
    expect(parseCsvDate('3. März 2024', 'D MMM YYYY')).toBe('2024-03-03');
    expect(parseCsvDate('15 janv. 2024', 'D MMM YYYY')).toBe('2024-01-15');
    expect(parseCsvDate('1 août 2023', 'D MMM YYYY')).toBe('2023-08-01');
    expect(parseCsvDate('12 dic 2023', 'D MMM YYYY')).toBe('2023-12-12');
    expect(parseCsvDate('5 ene 2024', 'D MMM YYYY')).toBe('2024-01-05');
    expect(parseCsvDate('7 giu 2024', 'D MMM YYYY')).toBe('2024-06-07');
    expect(parseCsvDate('9 mrt 2024', 'D MMM YYYY')).toBe('2024-03-09');
    expect(parseCsvDate('Mar 5, 2024', 'MMM D YYYY')).toBe('2024-03-05');
    expect(parseCsvDate('March 5th 2024', 'MMM D YYYY')).toBe('2024-03-05');
    expect(parseCsvDate('5 Foo 2024', 'D MMM YYYY')).toBeNull();
    expect(parseCsvDate('31 Feb 2024', 'D MMM YYYY')).toBeNull();
  });

  it('detects a format only when exactly one fits every value', () => {
    expect(detectDateFormat(['01/02/2024', '13/02/2024'])).toEqual({
      kind: 'found',
      format: 'DD/MM/YYYY',
    });
    expect(detectDateFormat(['01/02/2024', '02/13/2024'])).toEqual({
      kind: 'found',
      format: 'MM/DD/YYYY',
    });
    expect(detectDateFormat(['01.02.2024', '13.02.2024'])).toEqual({
      kind: 'found',
      format: 'DD.MM.YYYY',
    });
    expect(detectDateFormat(['2024-01-01', '20240102'])).toMatchObject({
      kind: 'none',
      failing: '20240102',
    });
    expect(detectDateFormat(['13/13/2024'])).toMatchObject({ kind: 'none' });
  });

  it('lets the date order decide between day-first and month-first', () => {
    const inOrder = ['01/02/2024', '03/02/2024', '05/02/2024', '02/03/2024'];
    // Day first: 1 Feb, 3 Feb, 5 Feb, 2 Mar (sorted); month first: Jan 2, Mar 2, May 2, Feb 3.
    expect(detectDateFormat([...new Set(inOrder)], inOrder)).toEqual({
      kind: 'found',
      format: 'DD/MM/YYYY',
      byOrder: true,
    });
    const same = ['03/04/2024', '03/04/2024'];
    expect(detectDateFormat(['03/04/2024'], same)).toEqual({
      kind: 'ambiguous',
      formats: ['DD/MM/YYYY', 'MM/DD/YYYY'],
    });
  });
});
