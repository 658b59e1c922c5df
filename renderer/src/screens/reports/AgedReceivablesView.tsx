import { useQuery } from '@tanstack/react-query';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { AGE_BUCKETS } from '../../../../shared/domain/report.types.js';
import { coffer } from '../../api/coffer-client.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { ReportState } from './report-query.js';

/** What clients still owe, by days past due; one total row per currency. */
export function AgedReceivablesView(): React.JSX.Element {
  const report = useQuery({
    queryKey: ['reports', 'agedReceivables', {}],
    queryFn: () => coffer().reports.agedReceivables({}),
  });
  if (report.data === undefined) return <ReportState query={report} what="Aged receivables" />;
  const rows = [
    ...report.data.rows.map((r) => ({ ...r, id: `${r.clientId} ${r.currency}`, total: false })),
    ...report.data.totals.map((t) => ({
      ...t,
      clientId: '',
      clientName: `Total ${t.currency}`,
      id: `total ${t.currency}`,
      total: true,
    })),
  ];
  return (
    <>
      <p>
        Open balances as of {formatIsoDate(report.data.asOf)}, by days past the due date (not yet
        due counts as 0–30).
      </p>
      {report.data.rows.length === 0 ? (
        <p>No client owes anything.</p>
      ) : (
        <Table aria-label="Aged receivables" className="table" data-testid="aged-rows">
          <TableHeader>
            <Column isRowHeader>Client</Column>
            <Column>Currency</Column>
            {AGE_BUCKETS.map((b) => (
              <Column key={b} className="numeric">
                {b} days
              </Column>
            ))}
            <Column className="numeric">Total</Column>
          </TableHeader>
          <TableBody items={rows}>
            {(r) => (
              <Row id={r.id} className={r.total ? 'total-row' : undefined}>
                <Cell>{r.clientName}</Cell>
                <Cell>{r.currency}</Cell>
                {AGE_BUCKETS.map((b, i) => (
                  <Cell key={b} className="numeric">
                    <Money minor={r.bucketsMinor[i] ?? 0} currency={r.currency} />
                  </Cell>
                ))}
                <Cell className="numeric">
                  <Money minor={r.totalMinor} currency={r.currency} />
                </Cell>
              </Row>
            )}
          </TableBody>
        </Table>
      )}
    </>
  );
}
