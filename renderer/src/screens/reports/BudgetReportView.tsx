import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { coffer } from '../../api/coffer-client.js';
import { Money } from '../../ui/Money.js';
import { lastTwelveMonths } from './PeriodForm.js';
import { ReportState } from './report-query.js';
import { MonthForm } from './MonthForm.js';

/** Budget against actual for one month, per category and currency (`budgets.report`). */
export function BudgetReportView(): React.JSX.Element {
  const [month, setMonth] = useState(() => lastTwelveMonths().to);
  const report = useQuery({
    queryKey: ['budgets', 'report', { month }],
    queryFn: () => coffer().budgets.report({ month }),
  });
  return (
    <>
      <MonthForm value={month} onChange={setMonth} />
      <ReportState query={report} what="Budget against actual" />
      {report.data !== undefined &&
        (report.data.rows.length === 0 ? (
          <p>No budgets or categorised activity in {month}.</p>
        ) : (
          <>
            <Table aria-label="Budget against actual" className="table" data-testid="budget-rows">
              <TableHeader>
                <Column isRowHeader>Category</Column>
                <Column>Kind</Column>
                <Column className="numeric">Budgeted</Column>
                <Column className="numeric">Actual</Column>
                <Column className="numeric">Remaining</Column>
              </TableHeader>
              <TableBody
                items={report.data.rows.map((r) => ({ ...r, id: `${r.categoryId} ${r.currency}` }))}
              >
                {(r) => (
                  <Row id={r.id}>
                    <Cell>{r.categoryName}</Cell>
                    <Cell>{r.kind}</Cell>
                    <Cell className="numeric">
                      <Money minor={r.budgetedMinor} currency={r.currency} />
                    </Cell>
                    <Cell className="numeric">
                      <Money minor={r.actualMinor} currency={r.currency} />
                    </Cell>
                    <Cell className="numeric">
                      <Money minor={r.remainingMinor} currency={r.currency} />
                    </Cell>
                  </Row>
                )}
              </TableBody>
            </Table>
            <h3>Totals per currency</h3>
            <Table aria-label="Budget totals per currency" className="table">
              <TableHeader>
                <Column isRowHeader>Currency</Column>
                <Column>Kind</Column>
                <Column className="numeric">Budgeted</Column>
                <Column className="numeric">Actual</Column>
                <Column className="numeric">Remaining</Column>
              </TableHeader>
              <TableBody
                items={report.data.totals.map((t) => ({ ...t, id: `${t.currency} ${t.kind}` }))}
              >
                {(t) => (
                  <Row id={t.id}>
                    <Cell>{t.currency}</Cell>
                    <Cell>{t.kind}</Cell>
                    <Cell className="numeric">
                      <Money minor={t.budgetedMinor} currency={t.currency} />
                    </Cell>
                    <Cell className="numeric">
                      <Money minor={t.actualMinor} currency={t.currency} />
                    </Cell>
                    <Cell className="numeric">
                      <Money minor={t.remainingMinor} currency={t.currency} />
                    </Cell>
                  </Row>
                )}
              </TableBody>
            </Table>
          </>
        ))}
    </>
  );
}
