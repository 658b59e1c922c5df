import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { MonthCashFlow } from '../../../../shared/domain/report.types.js';
import { ChartWithTable } from '../../ui/TableToggle.js';
import { formatMinor } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';

/**
 * Income and spending per month, one chart per currency (two currencies never share an
 * axis), each with its numbers as a table. The dashboard opens with these charts, so they
 * are drawn once at their final height (no bar animation re-rendering them for the next
 * frames) and their tables are plain HTML tables: read-only numbers need a table's
 * semantics, not a grid's keyboard focus and selection, which cost a collection build
 * per table on every start.
 */
export function CashFlowCharts({
  months,
}: {
  months: readonly MonthCashFlow[];
}): React.JSX.Element {
  const currencies = [...new Set(months.map((m) => m.currency))];
  if (currencies.length === 0) return <p>No transactions in this period yet.</p>;
  return (
    <div className="chart-list">
      {currencies.map((currency) => (
        <CashFlowChart
          key={currency}
          currency={currency}
          months={months.filter((m) => m.currency === currency)}
        />
      ))}
    </div>
  );
}

function CashFlowChart({
  currency,
  months,
}: {
  currency: string;
  months: readonly MonthCashFlow[];
}): React.JSX.Element {
  // Chart heights only: the table beside it shows the exact amounts.
  const data = months.map((m) => ({
    month: m.month,
    income: m.incomeMinor,
    spending: m.spendingMinor,
  }));
  return (
    <ChartWithTable
      title={`Cash flow in ${currency}`}
      chart={
        <BarChart width={640} height={240} data={data} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" className="chart-grid" />
          <XAxis dataKey="month" className="chart-axis" />
          <YAxis
            width={90}
            className="chart-axis"
            tickFormatter={(v: number) => formatMinor(Math.round(v), currency)}
          />
          <Tooltip formatter={(v) => formatMinor(Math.round(Number(v)), currency)} />
          <Legend />
          <Bar dataKey="income" name="Income" className="chart-income" isAnimationActive={false} />
          <Bar
            dataKey="spending"
            name="Spending"
            className="chart-spending"
            isAnimationActive={false}
          />
        </BarChart>
      }
      table={
        <table aria-label={`Cash flow in ${currency} by month`} className="table">
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className="numeric">
                Income
              </th>
              <th scope="col" className="numeric">
                Spending
              </th>
              <th scope="col" className="numeric">
                Net
              </th>
            </tr>
          </thead>
          <tbody>
            {months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{m.month}</th>
                <td className="numeric">
                  <Money minor={m.incomeMinor} currency={currency} />
                </td>
                <td className="numeric">
                  <Money minor={m.spendingMinor} currency={currency} />
                </td>
                <td className="numeric">
                  <Money minor={m.netMinor} currency={currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}
