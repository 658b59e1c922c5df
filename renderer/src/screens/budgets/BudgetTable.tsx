import type {
  BudgetReport,
  BudgetReportRow,
  Category,
} from '../../../../shared/domain/ledger.schema.js';
import { Money } from '../../ui/Money.js';
import { formatMinor } from '../../ui/format.js';
import { BudgetAmountField } from './BudgetAmountField.js';
import { barPercent, budgetLines, isOverspent } from './budget-rows.js';

/**
 * One line per category: the budget (typed in place), what happened, what is left, and a
 * bar of actual against budget. Overspending is said in words, not only in red.
 */
export function BudgetTable({
  month,
  currency,
  report,
  categories,
}: {
  month: string;
  currency: string;
  report: BudgetReport;
  categories: readonly Category[];
}): React.JSX.Element {
  const lines = budgetLines(report, categories, currency);
  if (lines.length === 0) {
    return <p>No categories yet: add some on the Categories screen to budget them.</p>;
  }
  return (
    <table className="table budget-table" aria-label={`Budget for ${month} in ${currency}`}>
      <thead>
        <tr>
          <th scope="col">Category</th>
          <th scope="col">Budget</th>
          <th scope="col" className="numeric">
            Actual
          </th>
          <th scope="col" className="numeric">
            Remaining
          </th>
          <th scope="col">Progress</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((row) => (
          <BudgetLine key={row.categoryId} row={row} month={month} currency={currency} />
        ))}
      </tbody>
    </table>
  );
}

function BudgetLine({
  row,
  month,
  currency,
}: {
  row: BudgetReportRow;
  month: string;
  currency: string;
}): React.JSX.Element {
  const over = isOverspent(row);
  return (
    <tr className={over ? 'is-overspent' : undefined} data-testid="budget-row">
      <th scope="row">
        {row.categoryName}
        <span className="muted"> · {row.kind === 'income' ? 'Income' : 'Expense'}</span>
      </th>
      <td>
        <BudgetAmountField
          key={`${month}-${currency}-${row.budgetedMinor}`}
          categoryId={row.categoryId}
          categoryName={row.categoryName}
          month={month}
          currency={currency}
          budgetedMinor={row.budgetedMinor}
        />
      </td>
      <td className="numeric">
        <Money minor={row.actualMinor} currency={currency} />
      </td>
      <td className="numeric">
        <Money minor={row.remainingMinor} currency={currency} />
      </td>
      <td>
        <div className="budget-bar" aria-hidden="true">
          <div
            className={over ? 'budget-bar-fill is-over' : 'budget-bar-fill'}
            style={{ width: `${barPercent(row)}%` }}
          />
        </div>
        {over && (
          <strong className="overspent" data-testid="overspent">
            Overspent by {formatMinor(row.actualMinor - row.budgetedMinor, currency)}
          </strong>
        )}
      </td>
    </tr>
  );
}
