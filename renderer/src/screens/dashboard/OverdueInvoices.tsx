import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { Link } from 'react-router';
import type { Dashboard } from '../../../../shared/domain/report.types.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';

/** Invoices past their due date with money still owed, the oldest first. */
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
          <Table aria-label="Overdue invoices" className="table">
            <TableHeader>
              <Column isRowHeader>Invoice</Column>
              <Column>Client</Column>
              <Column>Due</Column>
              <Column className="numeric">Days overdue</Column>
              <Column className="numeric">Balance due</Column>
            </TableHeader>
            <TableBody items={overdue.invoices}>
              {(i) => (
                <Row id={i.id}>
                  <Cell>{i.number ?? '—'}</Cell>
                  <Cell>{i.clientName}</Cell>
                  <Cell>{i.dueDate === null ? '—' : formatIsoDate(i.dueDate)}</Cell>
                  <Cell className="numeric">{i.daysOverdue}</Cell>
                  <Cell className="numeric">
                    <Money minor={i.balanceDueMinor} currency={i.currency} />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
          <p>
            <Link to="/invoices">Go to invoices</Link>
          </p>
        </>
      )}
    </section>
  );
}
