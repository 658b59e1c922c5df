import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Category } from '../../../shared/domain/ledger.schema.js';
import { createLedgerFixture, T0, type LedgerFixture } from './ledger-test-fixture.js';

let f: LedgerFixture;
let food: Category;
let rent: Category;
let salary: Category;
const cleanups: Array<() => void> = [];

beforeEach(async () => {
  const fixture = await createLedgerFixture();
  cleanups.push(() => fixture.cleanup());
  f = fixture;
  f.accounts.create({ name: 'Checking', currency: 'USD' });
  f.accounts.create({ name: 'Euro', currency: 'EUR' });
  food = f.categories.create({ name: 'Food' });
  rent = f.categories.create({ name: 'Rent' });
  salary = f.categories.create({ name: 'Salary', kind: 'income' });
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function tx(date: string, amountMinor: number, extra: Record<string, unknown> = {}): string {
  return f.transactions.create({ accountId: 'Checking', date, amountMinor, ...extra }).id;
}

describe('BudgetService.set / get / remove', () => {
  it('creates, then replaces, one budget per month and category', () => {
    const created = f.budgets.set({
      month: '2025-01',
      categoryId: 'food',
      amountMinor: 30_000,
      currency: 'USD',
    });
    expect(created).toMatchObject({
      month: '2025-01',
      categoryId: food.id,
      amountMinor: 30_000,
      currency: 'USD',
      createdAt: T0,
    });
    const firstChange = f.outbox().at(-1)?.change;
    expect(firstChange).toMatchObject({
      collection: 'budgets',
      recordId: created.id,
      op: 'upsert',
    });

    f.advance(1);
    const replaced = f.budgets.set({
      month: '2025-01',
      categoryId: food.id,
      amountMinor: 35_000,
      currency: 'USD',
    });
    expect(replaced.id).toBe(created.id);
    const change = f.outbox().at(-1)?.change;
    expect(change?.fields).toEqual({ amountMinor: 35_000, updatedAt: T0 + 1 });
    expect(change?.base).toEqual({ amountMinor: firstChange?.hlc, updatedAt: firstChange?.hlc });
    expect(f.budgets.get('2025-01', 'Food')).toEqual(replaced);
    expect(f.budgets.list('2025-01')).toEqual([replaced]);
    expect(f.budgets.get('2025-02', 'Food')).toBeNull();

    f.budgets.remove('2025-01', 'Food');
    expect(f.budgets.get('2025-01', 'Food')).toBeNull();
    expect(f.outbox().at(-1)?.change).toMatchObject({ op: 'delete', recordId: created.id });
    const again = f.budgets.set({
      month: '2025-01',
      categoryId: 'Food',
      amountMinor: 1,
      currency: 'USD',
    });
    expect(again.id).not.toBe(created.id);
  });

  it('rejects bad input with specific codes and writes nothing', () => {
    const ok = { month: '2025-01', categoryId: 'Food', amountMinor: 100, currency: 'USD' };
    expect(f.attempt(() => f.budgets.set({ ...ok, month: '2025-13' }))).toMatchObject({
      code: 'INVALID_MONTH',
      wrote: false,
    });
    expect(f.attempt(() => f.budgets.set({ ...ok, amountMinor: 1.5 }))).toMatchObject({
      code: 'INVALID_AMOUNT',
      wrote: false,
    });
    expect(f.attempt(() => f.budgets.set({ ...ok, amountMinor: -1 }))).toMatchObject({
      code: 'INVALID_AMOUNT',
      wrote: false,
    });
    expect(f.attempt(() => f.budgets.set({ ...ok, currency: 'XYZ' }))).toMatchObject({
      code: 'UNKNOWN_CURRENCY',
      wrote: false,
    });
    expect(f.attempt(() => f.budgets.set({ ...ok, categoryId: 'Nope' }))).toMatchObject({
      code: 'NOT_FOUND',
      wrote: false,
    });
    expect(f.attempt(() => f.budgets.remove('2025-01', 'Food'))).toMatchObject({
      code: 'NOT_FOUND',
      wrote: false,
    });
    expect(f.attempt(() => f.budgets.report('2025-1')).code).toBe('INVALID_MONTH');
  });
});

describe('BudgetService.report', () => {
  it('compares budgets with actual activity, splits and month bounds included', () => {
    f.budgets.set({ month: '2025-01', categoryId: 'Food', amountMinor: 40_000, currency: 'USD' });
    f.budgets.set({
      month: '2025-01',
      categoryId: 'Salary',
      amountMinor: 500_000,
      currency: 'USD',
    });
    f.budgets.set({ month: '2025-02', categoryId: 'Rent', amountMinor: 99_999, currency: 'USD' });

    tx('2024-12-31', -1_000, { categoryId: 'Food' }); // previous month
    tx('2025-01-01', -10_000, { categoryId: 'Food' }); // first day
    tx('2025-01-31', -5_000, { categoryId: 'Food' }); // last day
    tx('2025-01-15', 2_500, { categoryId: 'Food' }); // a refund lowers spending
    tx('2025-02-01', -7_000, { categoryId: 'Food' }); // next month
    tx('2025-01-20', -150_000, {
      splits: [
        { categoryId: 'Rent', amountMinor: -120_000 },
        { categoryId: 'Food', amountMinor: -30_000 },
      ],
    });
    tx('2025-01-25', 450_000, { categoryId: 'Salary' });
    tx('2025-01-26', -999); // uncategorised
    const deleted = tx('2025-01-27', -123_456, { categoryId: 'Food' });
    f.transactions.delete(deleted);
    f.transactions.create({
      accountId: 'Euro',
      date: '2025-01-10',
      amountMinor: -4_200,
      categoryId: 'Food',
    });

    const report = f.budgets.report('2025-01');
    expect(report.month).toBe('2025-01');
    expect(report.rows).toEqual([
      {
        categoryId: salary.id,
        categoryName: 'Salary',
        kind: 'income',
        parentId: null,
        currency: 'USD',
        budgetedMinor: 500_000,
        actualMinor: 450_000,
        remainingMinor: 50_000,
      },
      {
        categoryId: food.id,
        categoryName: 'Food',
        kind: 'expense',
        parentId: null,
        currency: 'EUR',
        budgetedMinor: 0,
        actualMinor: 4_200,
        remainingMinor: -4_200,
      },
      {
        categoryId: food.id,
        categoryName: 'Food',
        kind: 'expense',
        parentId: null,
        currency: 'USD',
        budgetedMinor: 40_000,
        actualMinor: 10_000 + 5_000 - 2_500 + 30_000,
        remainingMinor: 40_000 - 42_500,
      },
      {
        categoryId: rent.id,
        categoryName: 'Rent',
        kind: 'expense',
        parentId: null,
        currency: 'USD',
        budgetedMinor: 0,
        actualMinor: 120_000,
        remainingMinor: -120_000,
      },
    ]);
    expect(report.totals).toEqual([
      {
        currency: 'EUR',
        kind: 'expense',
        budgetedMinor: 0,
        actualMinor: 4_200,
        remainingMinor: -4_200,
      },
      {
        currency: 'USD',
        kind: 'income',
        budgetedMinor: 500_000,
        actualMinor: 450_000,
        remainingMinor: 50_000,
      },
      {
        currency: 'USD',
        kind: 'expense',
        budgetedMinor: 40_000,
        actualMinor: 162_500,
        remainingMinor: -122_500,
      },
    ]);
    expect(report.uncategorized).toEqual([{ currency: 'USD', netMinor: -999, count: 1 }]);

    const usd = f.budgets.report('2025-01', { currency: 'USD' });
    expect(usd.rows.every((r) => r.currency === 'USD')).toBe(true);
    expect(usd.totals).toHaveLength(2);

    const feb = f.budgets.report('2025-02');
    expect(feb.rows.map((r) => [r.categoryName, r.budgetedMinor, r.actualMinor])).toEqual([
      ['Food', 0, 7_000],
      ['Rent', 99_999, 0],
    ]);
    expect(feb.uncategorized).toEqual([]);
  });

  it('reads an empty month as empty', () => {
    expect(f.budgets.report('1999-12')).toEqual({
      month: '1999-12',
      rows: [],
      totals: [],
      uncategorized: [],
    });
  });
});
