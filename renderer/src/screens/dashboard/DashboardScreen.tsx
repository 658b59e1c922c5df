import { queryOptions, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';
import { LazyCashFlowCharts, preloadCashFlowCharts } from '../reports/LazyCashFlowCharts.js';
import '../reports/reports.css';
import { OverdueInvoices } from './OverdueInvoices.js';

/** The dashboard's one call; the app also asks it beside its status when it opens here. */
export const dashboardQuery = queryOptions({
  queryKey: ['reports', 'dashboard', {}],
  queryFn: () => coffer().reports.dashboard({}),
});

/**
 * Where the app opens: what there is (balances), what this month brought in and took out,
 * the last year's cash flow, invoices past due, and imported rows waiting for review.
 * Every figure is per currency.
 */
export function DashboardScreen(): React.JSX.Element {
  const dashboard = useQuery(dashboardQuery);
  // The chart's code loads while the numbers are on their way, not after them.
  useEffect(() => void preloadCashFlowCharts(), []);
  return (
    <section aria-labelledby="dashboard-heading" className="screen">
      <h1 id="dashboard-heading">Dashboard</h1>
      {dashboard.isPending && <Progress label="Loading the dashboard" />}
      {dashboard.isError && (
        <ErrorMessage error={dashboard.error} title="The dashboard could not be loaded" />
      )}
      {dashboard.data !== undefined && (
        <>
          <section aria-labelledby="balances-heading" className="report-section">
            <h2 id="balances-heading">Balances</h2>
            {dashboard.data.balances.length === 0 ? (
              <p>
                No accounts yet: <Link to="/accounts">add one</Link> or{' '}
                <Link to="/import">import a statement</Link>.
              </p>
            ) : (
              <ul className="stat-grid" data-testid="balances">
                {dashboard.data.balances.map((b) => (
                  <li key={b.currency} className="stat" data-testid={`balance-${b.currency}`}>
                    <div className="stat-label">
                      {b.currency}, {b.accounts} account{b.accounts === 1 ? '' : 's'}
                    </div>
                    <div className="stat-value">
                      <Money minor={b.balanceMinor} currency={b.currency} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="month-heading" className="report-section">
            <h2 id="month-heading">This month ({dashboard.data.month})</h2>
            {dashboard.data.thisMonth.length === 0 ? (
              <p>Nothing came in or went out this month yet.</p>
            ) : (
              <ul className="stat-grid" data-testid="this-month">
                {dashboard.data.thisMonth.flatMap((m) => [
                  <li key={`${m.currency}-in`} className="stat">
                    <div className="stat-label">Income, {m.currency}</div>
                    <div className="stat-value" data-testid={`income-${m.currency}`}>
                      <Money minor={m.incomeMinor} currency={m.currency} />
                    </div>
                  </li>,
                  <li key={`${m.currency}-out`} className="stat">
                    <div className="stat-label">Spending, {m.currency}</div>
                    <div className="stat-value" data-testid={`spending-${m.currency}`}>
                      <Money minor={m.spendingMinor} currency={m.currency} />
                    </div>
                  </li>,
                ])}
              </ul>
            )}
          </section>
          <section aria-labelledby="review-heading" className="report-section">
            <h2 id="review-heading">Needs review</h2>
            <p data-testid="needs-review">
              {dashboard.data.needsReview === 0 ? (
                'Nothing waits for review.'
              ) : (
                <Link to="/review">
                  {dashboard.data.needsReview} imported transaction
                  {dashboard.data.needsReview === 1 ? '' : 's'} to review
                </Link>
              )}
            </p>
          </section>
          <OverdueInvoices overdue={dashboard.data.overdue} />
          <section aria-labelledby="cashflow-heading" className="report-section">
            <h2 id="cashflow-heading">Cash flow, last 12 months</h2>
            <LazyCashFlowCharts months={dashboard.data.cashFlow.months} />
          </section>
        </>
      )}
    </section>
  );
}
