import type { Budget, CategoryKind } from '../../../shared/domain/ledger.schema.js';
import { StatementCache, type Db } from './statement-cache.js';

interface BudgetRow {
  id: string;
  month: string;
  category_id: string;
  amount_minor: number;
  currency: string;
  created_at: number;
  updated_at: number;
}

export interface CategoryActual {
  categoryId: string;
  currency: string;
  /** Signed sum as stored: negative is money out. */
  totalMinor: bigint;
}

export interface UncategorizedSum {
  currency: string;
  totalMinor: bigint;
  count: number;
}

export interface CategoryInfo {
  id: string;
  name: string;
  kind: CategoryKind;
  parentId: string | null;
}

const COLUMNS = 'id, month, category_id, amount_minor, currency, created_at, updated_at';

function toBudget(row: BudgetRow): Budget {
  return {
    id: row.id,
    month: row.month,
    categoryId: row.category_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Sums a month's activity per category: whole-transaction categories and split parts
 * together, by SQL aggregation over the date index, so a report never loads rows.
 */
const ACTUALS = `
SELECT category_id, currency, SUM(amount_minor) AS total FROM (
  SELECT category_id, currency, amount_minor FROM transactions
   WHERE date >= @from AND date <= @to AND deleted_at IS NULL AND category_id IS NOT NULL
  UNION ALL
  SELECT s.category_id, t.currency, s.amount_minor
    FROM transactions t JOIN transaction_splits s ON s.transaction_id = t.id
   WHERE t.date >= @from AND t.date <= @to AND t.deleted_at IS NULL
) GROUP BY category_id, currency`;

const UNCATEGORIZED = `
SELECT currency, SUM(amount_minor) AS total, count(*) AS n FROM transactions t
 WHERE date >= @from AND date <= @to AND deleted_at IS NULL AND category_id IS NULL
   AND NOT EXISTS (SELECT 1 FROM transaction_splits s WHERE s.transaction_id = t.id)
 GROUP BY currency`;

/** SQL for budgets and the month aggregates behind budget-vs-actual. */
export class BudgetRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(b: Budget): void {
    this.sql
      .get(
        `INSERT INTO budgets (${COLUMNS}) VALUES (@id, @month, @categoryId, @amountMinor, @currency, @createdAt, @updatedAt)`,
      )
      .run(b);
  }

  update(b: Budget): void {
    this.sql
      .get(
        `UPDATE budgets SET amount_minor = @amountMinor, currency = @currency, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(b);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE budgets SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  find(month: string, categoryId: string): Budget | undefined {
    const row = this.sql
      .get<[string, string], BudgetRow>(
        `SELECT ${COLUMNS} FROM budgets WHERE month = ? AND category_id = ? AND deleted_at IS NULL`,
      )
      .get(month, categoryId);
    return row === undefined ? undefined : toBudget(row);
  }

  listForMonth(month: string): Budget[] {
    return this.sql
      .get<[string], BudgetRow>(
        `SELECT ${COLUMNS} FROM budgets WHERE month = ? AND deleted_at IS NULL ORDER BY id`,
      )
      .all(month)
      .map(toBudget);
  }

  actuals(from: string, to: string): CategoryActual[] {
    return this.sql
      .get<
        [{ from: string; to: string }],
        { category_id: string; currency: string; total: bigint }
      >(ACTUALS)
      .safeIntegers(true)
      .all({ from, to })
      .map((r) => ({ categoryId: r.category_id, currency: r.currency, totalMinor: r.total }));
  }

  uncategorized(from: string, to: string): UncategorizedSum[] {
    return this.sql
      .get<[{ from: string; to: string }], { currency: string; total: bigint; n: bigint }>(
        UNCATEGORIZED,
      )
      .safeIntegers(true)
      .all({ from, to })
      .map((r) => ({ currency: r.currency, totalMinor: r.total, count: Number(r.n) }));
  }

  /** Categories by id, tombstoned ones included: old activity may still point at them. */
  categoryInfo(ids: readonly string[]): Map<string, CategoryInfo> {
    const rows = this.sql
      .get<[string], { id: string; name: string; kind: CategoryKind; parent_id: string | null }>(
        'SELECT id, name, kind, parent_id FROM categories WHERE id IN (SELECT value FROM json_each(?))',
      )
      .all(JSON.stringify(ids));
    return new Map(
      rows.map((r) => [r.id, { id: r.id, name: r.name, kind: r.kind, parentId: r.parent_id }]),
    );
  }
}
