import type {
  BudgetReport,
  BudgetReportRow,
  Category,
} from '../../../../shared/domain/ledger.schema.js';

/**
 * Every open category gets a line, budgeted or not, so a budget can be typed for it; a
 * report row for an archived category still shows (it has money against it).
 */
export function budgetLines(
  report: BudgetReport,
  categories: readonly Category[],
  currency: string,
): BudgetReportRow[] {
  const byCategory = new Map(report.rows.map((row) => [row.categoryId, row]));
  const lines: BudgetReportRow[] = categories.map(
    (c) =>
      byCategory.get(c.id) ?? {
        categoryId: c.id,
        categoryName: c.name,
        kind: c.kind,
        parentId: c.parentId,
        currency,
        budgetedMinor: 0,
        actualMinor: 0,
        remainingMinor: 0,
      },
  );
  const listed = new Set(categories.map((c) => c.id));
  for (const row of report.rows) if (!listed.has(row.categoryId)) lines.push(row);
  // Spending first, as the report's totals are ordered; then by name.
  return lines.sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'expense' ? -1 : 1) ||
      a.categoryName.localeCompare(b.categoryName),
  );
}

/** How full a row's bar is, 0–100: for display only, never for money. */
export function barPercent(row: BudgetReportRow): number {
  if (row.budgetedMinor <= 0) return 0;
  return Math.max(0, Math.min(100, (row.actualMinor / row.budgetedMinor) * 100));
}

/** Spending beyond a budget that was set; a category with no budget is not judged. */
export function isOverspent(row: BudgetReportRow): boolean {
  return row.kind === 'expense' && row.budgetedMinor > 0 && row.actualMinor > row.budgetedMinor;
}
