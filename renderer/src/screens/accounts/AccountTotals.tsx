import type { AccountBalance } from '../../../../shared/domain/ledger.schema.js';
import { totalsByCurrency } from '../../ui/currency-totals.js';
import { Money } from '../../ui/Money.js';

/** What the open accounts hold, one line per currency: euros and dollars are never added. */
export function AccountTotals({
  balances,
}: {
  balances: readonly AccountBalance[];
}): React.JSX.Element | null {
  const totals = totalsByCurrency(
    balances,
    (b) => b.currency,
    (b) => b.balanceMinor,
  );
  if (totals.length === 0) return null;
  return (
    <section aria-labelledby="account-totals-heading" className="card">
      <h2 id="account-totals-heading">Totals by currency</h2>
      <dl className="totals" data-testid="account-totals">
        {totals.map((total) => (
          <div key={total.currency}>
            <dt>{total.currency}</dt>
            <dd className="numeric">
              <Money minor={total.totalMinor} currency={total.currency} />
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted">Archived accounts are not counted.</p>
    </section>
  );
}
