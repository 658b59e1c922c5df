import { describe, expect, it } from 'vitest';
import { detectDateFormat, parseCsvDate } from './date-format.js';

describe('CSV dates', () => {
  it('parses each format to an ISO date and refuses impossible days', () => {
    expect(parseCsvDate('2024-02-29', 'YYYY-MM-DD')).toBe('2024-02-29');
    expect(parseCsvDate('29/02/2024', 'DD/MM/YYYY')).toBe('2024-02-29');
    expect(parseCsvDate('2/29/2024', 'MM/DD/YYYY')).toBe('2024-02-29');
    expect(parseCsvDate('1.3.2024', 'DD.MM.YYYY')).toBe('2024-03-01');
    expect(parseCsvDate('20240229', 'YYYYMMDD')).toBe('2024-02-29');
    expect(parseCsvDate('2023-02-29', 'YYYY-MM-DD')).toBeNull();
    expect(parseCsvDate('31/04/2024', 'DD/MM/YYYY')).toBeNull();
    expect(parseCsvDate('2024-01-01T10:00', 'YYYY-MM-DD')).toBeNull();
    expect(parseCsvDate('01/01/0900', 'DD/MM/YYYY')).toBeNull();
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
    expect(detectDateFormat(['01/02/2024', '03/04/2024'])).toEqual({
      kind: 'ambiguous',
      formats: ['DD/MM/YYYY', 'MM/DD/YYYY'],
    });
    expect(detectDateFormat(['2024-01-01', '20240102'])).toEqual({
      kind: 'none',
      format: 'YYYY-MM-DD',
      failingIndex: 1,
    });
    expect(detectDateFormat(['13/13/2024'])).toMatchObject({ kind: 'none' });
  });
});
