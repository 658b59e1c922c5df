import { createHash } from 'node:crypto';
import fc from 'fast-check';
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

  it('counts exactly the earlier equal rows across a long statement (its table grows)', () => {
    // A fixed-seed generator: few distinct values, so rows repeat often, and more distinct
    // rows than the counter's first table holds.
    let seed = 0x2545f491;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const occurrences = new OccurrenceCounter();
    const reference = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const date = `2024-0${1 + random(9)}-1${random(10)}`;
      const amount = random(2) === 0 ? -random(60) : random(60);
      const description = ['cafe', 'rent', '', 'caf\u00e9', '2024-01-10'][random(5)] as string;
      const key = `${date}|${amount}|${description}`;
      const expected = reference.get(key) ?? 0;
      reference.set(key, expected + 1);
      expect(occurrences.next(date, amount, description)).toBe(expected);
    }
    expect(reference.size).toBeGreaterThan(2_048);
  });

  it('is the first 128 bits of SHA-256 of the JSON fields, in base64url', () => {
    const reference = (...fields: [string, string, number, string, number]): string =>
      `k:${createHash('sha256').update(JSON.stringify(fields)).digest().subarray(0, 16).toString('base64url')}`;
    const descriptions = ['cafe', '', 'müller gmbh', 'a "quoted" \\ text', '東京 駅', '\u0000x'];
    for (let i = 0; i < 3_000; i++) {
      const fields: [string, string, number, string, number] = [
        `acct-${i % 7}`,
        `2024-0${1 + (i % 9)}-${10 + (i % 19)}`,
        (i % 2 === 0 ? -1 : 1) * i * 37,
        `${descriptions[i % descriptions.length] as string} ${i}`,
        i % 4,
      ];
      expect(importKeyFor(...fields)).toBe(reference(...fields));
    }
  });

  it('hashes exactly the JSON of its fields, whatever text they hold', () => {
    const reference = (...fields: [string, string, number, string, number]): string =>
      `k:${createHash('sha256').update(JSON.stringify(fields)).digest().subarray(0, 16).toString('base64url')}`;
    // Any UTF-16 text, lone surrogates and characters JSON escapes included.
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('"', '\\', '\u0000', '\u001f', '\ud800', 'a', ' ', 'é') }),
    );
    fc.assert(
      fc.property(
        text,
        text,
        fc.oneof(
          fc.integer(),
          fc.constant(-0),
          fc.maxSafeInteger(),
          fc.maxSafeInteger().map((n) => -n),
        ),
        text,
        fc.nat(),
        (account, date, amount, description, occurrence) => {
          expect(importKeyFor(account, date, amount, description, occurrence)).toBe(
            reference(account, date, amount, description, occurrence),
          );
        },
      ),
      { numRuns: 2_000 },
    );
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
