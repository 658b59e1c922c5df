import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Cell, Column, Row, Table, TableBody, TableHeader } from 'react-aria-components';
import { coffer } from '../../api/coffer-client.js';
import { Money } from '../../ui/Money.js';
import { PeriodForm, yearToDate } from './PeriodForm.js';
import { ReportState } from './report-query.js';

/** Parts per million as a percentage, exactly (88750 → "8.875 %"). */
function ratePercent(ppm: number): string {
  const whole = Math.trunc(ppm / 10_000);
  const fraction = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction === '' ? '' : `.${fraction}`} %`;
}

/** Tax invoiced per rate and currency in the period; a total per currency. */
export function TaxSummaryView(): React.JSX.Element {
  const [period, setPeriod] = useState(yearToDate);
  const report = useQuery({
    queryKey: ['reports', 'taxSummary', period],
    queryFn: () => coffer().reports.taxSummary(period),
  });
  const rows =
    report.data === undefined
      ? []
      : [
          ...report.data.rows.map((r) => ({
            ...r,
            label: ratePercent(r.taxRatePpm),
            id: `${r.currency} ${r.taxRatePpm}`,
            total: false,
          })),
          ...report.data.totals.map((t) => ({
            ...t,
            label: `Total ${t.currency}`,
            id: `total ${t.currency}`,
            total: true,
          })),
        ];
  return (
    <>
      <PeriodForm kind="date" value={period} onChange={setPeriod} label="Tax period" />
      <ReportState query={report} what="The tax summary" />
      {report.data !== undefined &&
        (rows.length === 0 ? (
          <p>No invoice was issued in this period.</p>
        ) : (
          <Table aria-label="Tax summary" className="table" data-testid="tax-rows">
            <TableHeader>
              <Column isRowHeader>Rate</Column>
              <Column>Currency</Column>
              <Column className="numeric">Net invoiced</Column>
              <Column className="numeric">Tax collected</Column>
            </TableHeader>
            <TableBody items={rows}>
              {(r) => (
                <Row id={r.id} className={r.total ? 'total-row' : undefined}>
                  <Cell>{r.label}</Cell>
                  <Cell>{r.currency}</Cell>
                  <Cell className="numeric">
                    <Money minor={r.netMinor} currency={r.currency} />
                  </Cell>
                  <Cell className="numeric">
                    <Money minor={r.taxMinor} currency={r.currency} />
                  </Cell>
                </Row>
              )}
            </TableBody>
          </Table>
        ))}
    </>
  );
}
