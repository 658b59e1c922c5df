import type { DocumentTotals } from '../../../../shared/invoice/invoice-totals.js';
import { formatPercentPpm } from '../../../../shared/invoice/parse-line-values.js';
import { Money } from '../../ui/Money.js';

/** Subtotal, discounts, tax per rate and total of a stored document, in its currency. */
export function DocumentTotalsList({
  totals,
  currency,
  children,
}: {
  totals: DocumentTotals;
  currency: string;
  /** Rows after the total (payments, balance due), as `dt`/`dd` pairs. */
  children?: React.ReactNode;
}): React.JSX.Element {
  return (
    <dl className="totals" aria-label="Totals">
      <dt>Subtotal</dt>
      <dd>
        <Money minor={totals.grossMinor} currency={currency} />
      </dd>
      <dt>Discounts</dt>
      <dd>
        <Money minor={-totals.discountMinor} currency={currency} />
      </dd>
      <dt>Net</dt>
      <dd>
        <Money minor={totals.subtotalMinor} currency={currency} />
      </dd>
      {totals.taxBreakdown.map((row) => (
        <TaxRow key={row.taxRatePpm} rate={row.taxRatePpm} tax={row.taxMinor} currency={currency} />
      ))}
      <dt>Total</dt>
      <dd data-testid="document-total">
        <Money minor={totals.totalMinor} currency={currency} />
      </dd>
      {children}
    </dl>
  );
}

export function TaxRow({
  rate,
  tax,
  currency,
}: {
  rate: number;
  tax: number;
  currency: string;
}): React.JSX.Element {
  return (
    <>
      <dt>Tax {formatPercentPpm(rate)} %</dt>
      <dd>
        <Money minor={tax} currency={currency} />
      </dd>
    </>
  );
}
