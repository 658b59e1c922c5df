import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { coffer } from '../../api/coffer-client.js';
import { Money } from '../../ui/Money.js';
import { CashFlowCharts } from './CashFlowChart.js';
import { lastTwelveMonths, PeriodForm } from './PeriodForm.js';
import { ReportState } from './report-query.js';

export function CashFlowReportView(): React.JSX.Element {
  const [period, setPeriod] = useState(lastTwelveMonths);
  const report = useQuery({
    queryKey: ['reports', 'cashFlow', period],
    queryFn: () => coffer().reports.cashFlow(period),
  });
  return (
    <>
      <PeriodForm kind="month" value={period} onChange={setPeriod} label="Cash flow period" />
      <ReportState query={report} what="The cash flow" />
      {report.data !== undefined && (
        <>
          <Table
            aria-label="Cash flow totals per currency"
            className="table"
            data-testid="cashflow-totals"
          >
            <TableHeader>
              <Column isRowHeader>Currency</Column>
              <Column className="numeric">Income</Column>
              <Column className="numeric">Spending</Column>
              <Column className="numeric">Net</Column>
            </TableHeader>
            <TableBody items={report.data.totals.map((t) => ({ ...t, id: t.currency }))}>
              {(t) => (
                <Row id={t.id}>
                  <Cell>{t.currency}</Cell>
                  <Cell className="numeric">
                    <Money minor={t.incomeMinor} currency={t.currency} />
                  </Cell>
                  <Cell className="numeric">
                    <Money minor={t.spendingMinor} currency={t.currency} />
                  </Cell>
                  <Cell className="numeric">
                    <Money minor={t.netMinor} currency={t.currency} />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
          <CashFlowCharts months={report.data.months} />
        </>
      )}
    </>
  );
}
