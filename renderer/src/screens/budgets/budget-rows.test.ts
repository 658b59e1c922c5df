import { describe, expect, it } from 'vitest';
import type {
  BudgetReport,
  BudgetReportRow,
  Category,
} from '../../../../shared/domain/ledger.schema.js';
import { barPercent, budgetLines, isOverspent } from './budget-rows.js';

function row(patch: Partial<BudgetReportRow>): BudgetReportRow {
  return {
    categoryId: 'c1',
    categoryName: 'Groceries',
    kind: 'expense',
    parentId: null,
    currency: 'EUR',
    budgetedMinor: 10_000,
    actualMinor: 0,
    remainingMinor: 10_000,
    ...patch,
  };
}

function category(id: string, name: string, kind: Category['kind'] = 'expense'): Category {
  return { id, name, kind, parentId: null, archived: false, createdAt: 0, updatedAt: 0 };
}

describe('budget rows', () => {
  it('calls an expense overspent only past a budget that was set', () => {
    expect(isOverspent(row({ actualMinor: 13_050, remainingMinor: -3_050 }))).toBe(true);
    expect(isOverspent(row({ actualMinor: 10_000, remainingMinor: 0 }))).toBe(false);
    expect(isOverspent(row({ budgetedMinor: 0, actualMinor: 500 }))).toBe(false);
    expect(isOverspent(row({ kind: 'income', actualMinor: 20_000 }))).toBe(false);
  });

  it('fills the bar in proportion, capped at full, empty without a budget', () => {
    expect(barPercent(row({ actualMinor: 2_500 }))).toBe(25);
    expect(barPercent(row({ actualMinor: 30_000 }))).toBe(100);
    expect(barPercent(row({ actualMinor: -500 }))).toBe(0);
    expect(barPercent(row({ budgetedMinor: 0, actualMinor: 500 }))).toBe(0);
  });

  it('lists every category, expenses first, keeping report rows of archived ones', () => {
    const report: BudgetReport = {
      month: '2026-12',
      rows: [
        row({ categoryId: 'c2', categoryName: 'Rent', actualMinor: 50_000 }),
        row({ categoryId: 'gone', categoryName: 'Archived one', budgetedMinor: 100 }),
      ],
      totals: [],
      uncategorized: [],
    };
    const lines = budgetLines(
      report,
      [category('c3', 'Salary', 'income'), category('c2', 'Rent'), category('c1', 'Food')],
      'EUR',
    );
    expect(lines.map((l) => [l.categoryName, l.actualMinor])).toEqual([
      ['Archived one', 0],
      ['Food', 0],
      ['Rent', 50_000],
      ['Salary', 0],
    ]);
  });
});
