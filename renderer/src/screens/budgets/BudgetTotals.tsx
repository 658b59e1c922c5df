import type { BudgetReport } from '../../../../shared/domain/ledger.schema.js';
import { Money } from '../../ui/Money.js';

/** Totals per currency and kind, as the core summed them: never across currencies. */
export function BudgetTotals({ report }: { report: BudgetReport }): React.JSX.Element | null {
  if (report.totals.length === 0 && report.uncategorized.length === 0) return null;
  return (
    <section aria-labelledby="budget-totals-heading" className="card">
      <h2 id="budget-totals-heading">Totals</h2>
      {report.totals.length > 0 && (
        <table className="table" aria-labelledby="budget-totals-heading">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">Kind</th>
              <th scope="col" className="numeric">
                Budget
              </th>
              <th scope="col" className="numeric">
                Actual
              </th>
              <th scope="col" className="numeric">
                Remaining
              </th>
            </tr>
          </thead>
          <tbody>
            {report.totals.map((t) => (
              <tr key={`${t.currency}-${t.kind}`}>
                <th scope="row">{t.currency}</th>
                <td>{t.kind === 'income' ? 'Income' : 'Expenses'}</td>
                <td className="numeric">
                  <Money minor={t.budgetedMinor} currency={t.currency} />
                </td>
                <td className="numeric">
                  <Money minor={t.actualMinor} currency={t.currency} />
                </td>
                <td className="numeric">
                  <Money minor={t.remainingMinor} currency={t.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.uncategorized.map((u) => (
        <p key={u.currency} className="muted">
          Not categorised: {u.count} transaction{u.count === 1 ? '' : 's'},{' '}
          <Money minor={u.netMinor} currency={u.currency} />
        </p>
      ))}
    </section>
  );
}
