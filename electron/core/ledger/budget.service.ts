import * as z from 'zod';
import {
  BudgetSetInputSchema,
  type Budget,
  type BudgetReport,
  type BudgetReportRow,
  type BudgetReportTotal,
  type BudgetSetInput,
  type CategoryKind,
} from '../../../shared/domain/ledger.schema.js';
import { IsoMonthSchema, monthBounds } from '../../../shared/dates/iso-date.js';
import { CurrencyCodeSchema } from '../../../shared/money/currency.js';
import { bigintToMinor } from '../../../shared/money/money.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { Vault } from '../vault/vault.js';
import { BudgetRepository } from './budget.repository.js';
import { CategoryService } from './category.service.js';
import { IdGenerator } from './id-generator.js';
import { parseInput } from '../validation/parse-input.js';
import { editedFields } from '../sync/edited-fields.js';
import { budgetFields } from './record-fields.js';

const MonthInputSchema = z.strictObject({ month: IsoMonthSchema });
const ReportInputSchema = z.strictObject({
  month: IsoMonthSchema,
  currency: CurrencyCodeSchema.optional(),
});

interface RowAccumulator {
  categoryId: string;
  currency: string;
  budgeted: bigint;
  /** Signed as stored. */
  activity: bigint;
}

/**
 * Monthly budgets per category, and budget-vs-actual computed at read time from the
 * transactions and splits of that month.
 */
export class BudgetService {
  private readonly repo: BudgetRepository;
  private readonly categories: CategoryService;
  private readonly ids: IdGenerator;

  constructor(private readonly vault: Vault) {
    this.repo = new BudgetRepository(vault.db);
    this.categories = new CategoryService(vault);
    this.ids = new IdGenerator(() => vault.now());
  }

  /** Sets (creates or replaces) the budget of one category for one month. */
  set(input: BudgetSetInput): Budget {
    const data = parseInput(BudgetSetInputSchema, input, 'budget');
    return this.vault.transaction(() => {
      const category = this.categories.resolveCategory(data.categoryId);
      const before = this.repo.find(data.month, category.id);
      const now = this.vault.now();
      if (before === undefined) {
        const budget: Budget = {
          id: this.ids.next(),
          month: data.month,
          categoryId: category.id,
          amountMinor: data.amountMinor,
          currency: data.currency,
          createdAt: now,
          updatedAt: now,
        };
        this.repo.insert(budget);
        this.vault.changes.record('budgets', budget.id, 'upsert', budgetFields(budget));
        return budget;
      }
      const after: Budget = {
        ...before,
        amountMinor: data.amountMinor,
        currency: data.currency,
        updatedAt: now,
      };
      const changed = editedFields(budgetFields(before), budgetFields(after));
      if (changed === null) return before;
      this.repo.update(after);
      this.vault.changes.record('budgets', after.id, 'upsert', changed);
      return after;
    });
  }

  get(month: string, categoryRef: string): Budget | null {
    parseInput(MonthInputSchema, { month }, 'budget');
    const category = this.categories.resolveCategory(categoryRef);
    return this.repo.find(month, category.id) ?? null;
  }

  list(month: string): Budget[] {
    parseInput(MonthInputSchema, { month }, 'budget');
    return this.repo.listForMonth(month);
  }

  /** Removes (tombstones) a month's budget for a category; NOT_FOUND if none is set. */
  remove(month: string, categoryRef: string): void {
    parseInput(MonthInputSchema, { month }, 'budget');
    this.vault.transaction(() => {
      const category = this.categories.resolveCategory(categoryRef);
      const budget = this.repo.find(month, category.id);
      if (budget === undefined) {
        throw new CofferError('NOT_FOUND', `No budget for "${category.name}" in ${month}`);
      }
      const now = this.vault.now();
      this.repo.tombstone(budget.id, now);
      this.vault.changes.record('budgets', budget.id, 'delete', { deletedAt: now, updatedAt: now });
    });
  }

  /**
   * Budget-vs-actual for a month: one row per category and currency that has a budget or
   * activity (whole transactions and split parts). `actualMinor` shows spending positive
   * for expense categories and income positive for income categories;
   * `remainingMinor = budgetedMinor - actualMinor`. Totals are per currency and kind.
   */
  report(month: string, options: { currency?: string } = {}): BudgetReport {
    const data = parseInput(ReportInputSchema, { month, ...options }, 'budget report');
    const { first, last } = monthBounds(data.month);
    const wanted = (currency: string): boolean =>
      data.currency === undefined || currency === data.currency;

    const byKey = new Map<string, RowAccumulator>();
    const entry = (categoryId: string, currency: string): RowAccumulator => {
      const key = `${categoryId}\u0000${currency}`;
      let row = byKey.get(key);
      if (row === undefined) {
        row = { categoryId, currency, budgeted: 0n, activity: 0n };
        byKey.set(key, row);
      }
      return row;
    };
    for (const budget of this.repo.listForMonth(data.month)) {
      if (wanted(budget.currency))
        entry(budget.categoryId, budget.currency).budgeted += BigInt(budget.amountMinor);
    }
    for (const actual of this.repo.actuals(first, last)) {
      if (wanted(actual.currency))
        entry(actual.categoryId, actual.currency).activity += actual.totalMinor;
    }

    const info = this.repo.categoryInfo([...new Set([...byKey.values()].map((r) => r.categoryId))]);
    const rows: BudgetReportRow[] = [...byKey.values()].map((acc) => {
      const category = info.get(acc.categoryId);
      const kind: CategoryKind = category?.kind ?? 'expense';
      const actual = kind === 'expense' ? -acc.activity : acc.activity;
      return {
        categoryId: acc.categoryId,
        categoryName: category?.name ?? '(unknown category)',
        kind,
        parentId: category?.parentId ?? null,
        currency: acc.currency,
        budgetedMinor: bigintToMinor(acc.budgeted),
        actualMinor: bigintToMinor(actual),
        remainingMinor: bigintToMinor(acc.budgeted - actual),
      };
    });
    rows.sort(compareRows);

    return {
      month: data.month,
      rows,
      totals: totalsOf(rows),
      uncategorized: this.repo
        .uncategorized(first, last)
        .filter((u) => wanted(u.currency))
        .map((u) => ({
          currency: u.currency,
          netMinor: bigintToMinor(u.totalMinor),
          count: u.count,
        }))
        .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)),
    };
  }
}

const KIND_ORDER: Record<CategoryKind, number> = { income: 0, expense: 1 };

function compareRows(a: BudgetReportRow, b: BudgetReportRow): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    a.categoryName.localeCompare(b.categoryName, 'en', { sensitivity: 'base' }) ||
    compareText(a.currency, b.currency) ||
    compareText(a.categoryId, b.categoryId)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function totalsOf(rows: readonly BudgetReportRow[]): BudgetReportTotal[] {
  const totals = new Map<
    string,
    { currency: string; kind: CategoryKind; budgeted: bigint; actual: bigint }
  >();
  for (const row of rows) {
    const key = `${row.currency}\u0000${row.kind}`;
    const total = totals.get(key) ?? {
      currency: row.currency,
      kind: row.kind,
      budgeted: 0n,
      actual: 0n,
    };
    total.budgeted += BigInt(row.budgetedMinor);
    total.actual += BigInt(row.actualMinor);
    totals.set(key, total);
  }
  return [...totals.values()]
    .map((t) => ({
      currency: t.currency,
      kind: t.kind,
      budgetedMinor: bigintToMinor(t.budgeted),
      actualMinor: bigintToMinor(t.actual),
      remainingMinor: bigintToMinor(t.budgeted - t.actual),
    }))
    .sort((a, b) => compareText(a.currency, b.currency) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}
