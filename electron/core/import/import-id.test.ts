import { describe, expect, it } from 'vitest';
import { assignImportIds, bankImportId } from './import-id.js';
import type { StatementRow } from './statement.js';

const row = (over: Partial<StatementRow>): StatementRow => ({
  line: 1,
  date: '2024-01-01',
  amountMinor: -450,
  payee: 'Cafe',
  memo: null,
  category: null,
  externalId: null,
  currency: null,
  extras: [],
  descriptionKey: 'cafe',
  splits: [],
  ...over,
});

describe('import ids', () => {
  it('gives identical rows distinct, reproducible ids', () => {
    const rows = [row({ line: 2 }), row({ line: 3 }), row({ line: 4, amountMinor: -500 })];
    const ids = assignImportIds(rows, 'acct', 'id');
    expect(new Set(ids).size).toBe(3);
    expect(assignImportIds(rows, 'acct', 'id')).toEqual(ids);
    expect(ids.every((id) => /^hash:[0-9a-f]{64}$/.test(id))).toBe(true);
  });

  it('depends on the account and on every described field', () => {
    const [base] = assignImportIds([row({})], 'acct', 'id');
    for (const other of [
      assignImportIds([row({})], 'other', 'id'),
      assignImportIds([row({ date: '2024-01-02' })], 'acct', 'id'),
      assignImportIds([row({ payee: 'Cafe2' })], 'acct', 'id'),
      assignImportIds([row({ memo: 'x' })], 'acct', 'id'),
    ]) {
      expect(other[0]).not.toBe(base);
    }
    // Field boundaries are part of the hash: "a|b" + "c" is not "a" + "b|c".
    expect(assignImportIds([row({ payee: 'a|b', memo: 'c' })], 'acct', 'id')).not.toEqual(
      assignImportIds([row({ payee: 'a', memo: 'b|c' })], 'acct', 'id'),
    );
  });

  it('uses bank ids when present, hashing ids too long to store', () => {
    expect(assignImportIds([row({ externalId: 'F1' })], 'acct', 'fitid')).toEqual(['fitid:F1']);
    expect(bankImportId('fitid', 'x'.repeat(300))).toMatch(/^fitid-sha256:[0-9a-f]{64}$/);
    expect(bankImportId('fitid', 'x'.repeat(249))).toHaveLength(255);
  });
});
