import { describe, expect, it } from 'vitest';
import { OccurrenceCounter, bankImportId, importKeyFor } from './import-id.js';

describe('import ids and content keys', () => {
  it('gives identical rows of one file distinct, reproducible keys', () => {
    const keys = (): string[] => {
      const occurrences = new OccurrenceCounter();
      return [
        ['2024-01-01', -450, 'cafe'],
        ['2024-01-01', -450, 'cafe'],
        ['2024-01-01', -500, 'cafe'],
      ].map(([date, amount, description]) => {
        const [d, a, k] = [date as string, amount as number, description as string];
        return importKeyFor('acct', d, a, k, occurrences.next(d, a, k));
      });
    };
    const first = keys();
    expect(new Set(first).size).toBe(3);
    expect(keys()).toEqual(first);
    expect(first.every((key) => /^k:[A-Za-z0-9_-]{22}$/.test(key))).toBe(true);
  });

  it('counts occurrences per (date, amount, description key) only', () => {
    const occurrences = new OccurrenceCounter();
    expect(occurrences.next('2024-01-01', -450, 'cafe')).toBe(0);
    expect(occurrences.next('2024-01-01', -450, 'cafe')).toBe(1);
    expect(occurrences.next('2024-01-02', -450, 'cafe')).toBe(0);
    expect(occurrences.next('2024-01-01', -451, 'cafe')).toBe(0);
    expect(occurrences.next('2024-01-01', -450, 'cafe2')).toBe(0);
    expect(occurrences.next('2024-01-01', -450, 'cafe')).toBe(2);
  });

  it('depends on the account and on every keyed field', () => {
    const base = importKeyFor('acct', '2024-01-01', -450, 'cafe', 0);
    for (const other of [
      importKeyFor('other', '2024-01-01', -450, 'cafe', 0),
      importKeyFor('acct', '2024-01-02', -450, 'cafe', 0),
      importKeyFor('acct', '2024-01-01', -451, 'cafe', 0),
      importKeyFor('acct', '2024-01-01', -450, 'cafe2', 0),
      importKeyFor('acct', '2024-01-01', -450, 'cafe', 1),
    ]) {
      expect(other).not.toBe(base);
    }
  });

  it('uses bank ids as they are, hashing ids too long to store', () => {
    expect(bankImportId('fitid', 'F1')).toBe('fitid:F1');
    expect(bankImportId('fitid', 'x'.repeat(300))).toMatch(/^fitid-sha256:[0-9a-f]{64}$/);
    expect(bankImportId('fitid', 'x'.repeat(249))).toHaveLength(255);
  });
});
