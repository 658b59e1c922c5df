import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { coffer } from '../../api/coffer-client.js';
import { Money } from '../../ui/Money.js';
import { PeriodForm, yearToDate } from './PeriodForm.js';
import { ReportState } from './report-query.js';

/** Invoiced and paid per client, on invoices issued in the period; totals per currency. */
export function RevenueByClientView(): React.JSX.Element {
  const [period, setPeriod] = useState(yearToDate);
  const report = useQuery({
    queryKey: ['reports', 'revenueByClient', period],
    queryFn: () => coffer().reports.revenueByClient(period),
  });
  const rows =
    report.data === undefined
      ? []
      : [
          ...report.data.rows.map((r) => ({
            ...r,
            id: `${r.clientId} ${r.currency}`,
            total: false,
          })),
          ...report.data.totals.map((t) => ({
            ...t,
            clientName: `Total ${t.currency}`,
            id: `total ${t.currency}`,
            total: true,
          })),
        ];
  return (
    <>
      <PeriodForm kind="date" value={period} onChange={setPeriod} label="Revenue period" />
      <ReportState query={report} what="Revenue by client" />
      {report.data !== undefined &&
        (rows.length === 0 ? (
          <p>No invoice was issued in this period.</p>
        ) : (
          <Table aria-label="Revenue by client" className="table" data-testid="revenue-rows">
            <TableHeader>
              <Column isRowHeader>Client</Column>
              <Column>Currency</Column>
              <Column className="numeric">Invoices</Column>
              <Column className="numeric">Invoiced</Column>
              <Column className="numeric">Paid</Column>
            </TableHeader>
            <TableBody items={rows}>
              {(r) => (
                <Row id={r.id} className={r.total ? 'total-row' : undefined}>
                  <Cell>{r.clientName}</Cell>
                  <Cell>{r.currency}</Cell>
                  <Cell className="numeric">{r.invoices}</Cell>
                  <Cell className="numeric">
                    <Money minor={r.invoicedMinor} currency={r.currency} />
                  </Cell>
                  <Cell className="numeric">
                    <Money minor={r.paidMinor} currency={r.currency} />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
    </>
  );
}
