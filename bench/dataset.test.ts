import { describe, expect, it } from 'vitest';
import { UUID_PATTERN } from '../shared/ids/uuidv7.js';
import { multiRowInsert } from './bulk-load.js';
import {
  DATASET_MONTHS,
  REPORT_MONTH,
  TRANSACTION_COLUMNS,
  monthAt,
  randomTransactionIds,
  referenceData,
  reportMonths,
  syntheticId,
  transactionId,
  transactions,
} from './dataset.js';

describe('synthetic dataset', () => {
  it('is the same on every call (each engine gets identical rows)', () => {
    const first = [...transactions(2_000)];
    const second = [...transactions(2_000)];
    expect(second).toEqual(first);
  });

  it('makes ids the vault accepts, unique, in creation order', () => {
    const ids = [...transactions(5_000)].map((t) => t.row[0]);
    for (const id of ids) expect(id).toMatch(UUID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('knows the id of the i-th transaction without generating the others', () => {
    const all = [...transactions(3_000)];
    for (const i of [0, 1, 1_499, 2_999]) expect(transactionId(i, 3_000)).toBe(all[i]?.row[0]);
    const drawn = randomTransactionIds(100, 3_000);
    expect(new Set(drawn).size).toBe(100);
    const known = new Set(all.map((t) => t.row[0]));
    for (const id of drawn) expect(known.has(id)).toBe(true);
  });

  it('spreads rows over the whole span in date order, with splits that add up and integer amounts', () => {
    const rows = [...transactions(36_000)];
    const dates = rows.map((t) => t.row[2]);
    expect([...dates].sort()).toEqual(dates);
    expect(dates[0]).toBe(`${monthAt(0)}-01`);
    expect(dates[dates.length - 1]?.slice(0, 7)).toBe(monthAt(DATASET_MONTHS - 1));
    const inReportMonth = dates.filter((d) => d.startsWith(REPORT_MONTH)).length;
    expect(inReportMonth).toBeGreaterThan(800);
    expect(inReportMonth).toBeLessThan(1_200);

    let split = 0;
    let uncategorised = 0;
    const problems: string[] = [];
    for (const { row, splits } of rows) {
      if (!Number.isSafeInteger(row[3])) problems.push(`${row[0]}: amount ${row[3]}`);
      if (row.length !== TRANSACTION_COLUMNS.length) problems.push(`${row[0]}: wrong column count`);
      if (splits.length > 0) {
        split += 1;
        if (row[6] !== null) problems.push(`${row[0]}: split with a category`);
        if (splits.reduce((sum, s) => sum + s[3], 0) !== row[3])
          problems.push(`${row[0]}: splits do not sum`);
        if (splits.some((s, i) => s[1] !== i)) problems.push(`${row[0]}: split positions`);
      } else if (row[6] === null) {
        uncategorised += 1;
      }
    }
    expect(problems).toEqual([]);
    expect(split / rows.length).toBeGreaterThan(0.03);
    expect(split / rows.length).toBeLessThan(0.07);
    expect(uncategorised / rows.length).toBeGreaterThan(0.02);
    expect(uncategorised / rows.length).toBeLessThan(0.04);
  });

  it('has 20 categories, a budget per expense category and month, and distinct reference ids', () => {
    const reference = referenceData();
    expect(reference.categories).toHaveLength(20);
    expect(reference.budgets).toHaveLength(16 * DATASET_MONTHS);
    const ids = [
      ...reference.accounts.map((a) => a.id),
      ...reference.categories.map((c) => c.id),
      ...reference.payees.map((p) => p.id),
      ...reference.budgets.map((b) => b.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives the report rows distinct months, latest first, wrapping round the data', () => {
    expect(reportMonths(3)).toEqual([REPORT_MONTH, '2025-05', '2025-04']);
    const all = reportMonths(DATASET_MONTHS);
    expect(new Set(all).size).toBe(DATASET_MONTHS);
    expect(reportMonths(DATASET_MONTHS + 1)[DATASET_MONTHS]).toBe(REPORT_MONTH);
  });

  it('counts months across years', () => {
    expect(monthAt(0)).toBe('2023-01');
    expect(monthAt(11)).toBe('2023-12');
    expect(monthAt(12)).toBe('2024-01');
    expect(monthAt(35)).toBe('2025-12');
  });

  it('builds ids that differ by kind and counter', () => {
    expect(syntheticId(0, 1, 7)).not.toBe(syntheticId(0, 2, 7));
    expect(syntheticId(0, 1, 7)).not.toBe(syntheticId(0, 1, 8));
  });
});

describe('multiRowInsert', () => {
  it('writes one placeholder tuple per row', () => {
    expect(multiRowInsert('t', ['a', 'b'], 3)).toBe(
      'INSERT INTO t (a, b) VALUES (?, ?), (?, ?), (?, ?)',
    );
  });
});
