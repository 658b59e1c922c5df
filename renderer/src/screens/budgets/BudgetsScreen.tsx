import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import {
  addMonthsToMonth,
  isIsoMonth,
  monthOf,
  todayIso,
} from '../../../../shared/dates/iso-date.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoMonth } from '../../ui/format.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { BudgetTable } from './BudgetTable.js';
import { BudgetTotals } from './BudgetTotals.js';
import './budgets.css';

/**
 * A month's budgets against what was spent and earned, in one currency at a time (the
 * report never adds two currencies). Budgets are typed straight into the table.
 */
export function BudgetsScreen(): React.JSX.Element {
  const [params, setParams] = useSearchParams();
  const asked = params.get('month');
  const month = asked !== null && isIsoMonth(asked) ? asked : monthOf(todayIso());
  const accounts = useQuery({
    queryKey: ['accounts', 'list', { includeArchived: true }],
    queryFn: () => coffer().accounts.list({ includeArchived: true }),
  });
  const currencies = [...new Set((accounts.data ?? []).map((a) => a.currency))].sort();
  const askedCurrency = params.get('currency');
  const currency =
    askedCurrency !== null && currencies.includes(askedCurrency) ? askedCurrency : currencies[0];
  const set = (name: string, value: string): void =>
    setParams((now) => {
      const next = new URLSearchParams(now);
      next.set(name, value);
      return next;
    });

  return (
    <section aria-labelledby="budgets-heading" className="screen budgets">
      <h1 id="budgets-heading">Budgets</h1>
      <div className="budget-controls">
        <div className="month-picker" role="group" aria-label="Month">
          <Button onPress={() => set('month', addMonthsToMonth(month, -1))}>
            <span aria-hidden="true">‹ </span>Previous month
          </Button>
          <h2 className="month-title" aria-live="polite" data-testid="budget-month">
            {formatIsoMonth(month)}
          </h2>
          <Button onPress={() => set('month', addMonthsToMonth(month, 1))}>
            Next month<span aria-hidden="true"> ›</span>
          </Button>
        </div>
        {currencies.length > 1 && currency !== undefined && (
          <SelectInput
            label="Currency"
            value={currency}
            onChange={(value) => set('currency', value)}
            options={currencies.map((c) => ({ id: c, label: c }))}
          />
        )}
      </div>
      {accounts.isPending && <Progress label="Loading accounts" />}
      {accounts.isError && (
        <ErrorMessage error={accounts.error} title="Accounts could not be loaded" />
      )}
      {accounts.data !== undefined && currency === undefined && (
        <p>Add an account first: budgets are kept in an account&apos;s currency.</p>
      )}
      {currency !== undefined && <BudgetReportView month={month} currency={currency} />}
    </section>
  );
}

function BudgetReportView({
  month,
  currency,
}: {
  month: string;
  currency: string;
}): React.JSX.Element {
  const report = useQuery({
    queryKey: ['budgets', 'report', { month, currency }],
    queryFn: () => coffer().budgets.report({ month, currency }),
  });
  const categories = useQuery({
    queryKey: ['categories', 'list', {}],
    queryFn: () => coffer().categories.list({}),
  });
  if (report.isPending || categories.isPending) return <Progress label="Loading the budget" />;
  if (report.isError)
    return <ErrorMessage error={report.error} title="The budget could not be loaded" />;
  if (categories.isError) {
    return <ErrorMessage error={categories.error} title="Categories could not be loaded" />;
  }
  return (
    <>
      <BudgetTable
        month={month}
        currency={currency}
        report={report.data}
        categories={categories.data}
      />
      <BudgetTotals report={report.data} />
    </>
  );
}
