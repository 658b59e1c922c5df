import { Link } from 'react-router';
import type { Dashboard } from '../../../../shared/domain/report.types.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';

/**
 * Invoices past their due date with money still owed, the oldest first. A plain table:
 * its rows are read, not selected or acted on, and the dashboard is the screen the app
 * starts on, so it does without the grid widget's code.
 */
export function OverdueInvoices({ overdue }: { overdue: Dashboard['overdue'] }): React.JSX.Element {
  return (
    <section aria-labelledby="overdue-heading" className="report-section">
      <h2 id="overdue-heading">Overdue invoices</h2>
      <p data-testid="overdue-count">
        {overdue.count === 0
          ? 'No invoice is overdue.'
          : `${overdue.count} overdue invoice${overdue.count === 1 ? '' : 's'}: `}
        {overdue.totals.map((t, i) => (
          <span key={t.currency}>
            {i > 0 && ', '}
            <Money minor={t.amountMinor} currency={t.currency} />
          </span>
        ))}
      </p>
      {overdue.count > 0 && (
        <>
          <table aria-label="Overdue invoices" className="table">
            <thead>
              <tr>
                <th scope="col">Invoice</th>
                <th scope="col">Client</th>
                <th scope="col">Due</th>
                <th scope="col" className="numeric">
                  Days overdue
                </th>
                <th scope="col" className="numeric">
                  Balance due
                </th>
              </tr>
            </thead>
            <tbody>
              {overdue.invoices.map((i) => (
                <tr key={i.id}>
                  <th scope="row">{i.number ?? '—'}</th>
                  <td>{i.clientName}</td>
                  <td>{i.dueDate === null ? '—' : formatIsoDate(i.dueDate)}</td>
                  <td className="numeric">{i.daysOverdue}</td>
                  <td className="numeric">
                    <Money minor={i.balanceDueMinor} currency={i.currency} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link to="/invoices">Go to invoices</Link>
          </p>
        </>
      )}
    </section>
  );
}
