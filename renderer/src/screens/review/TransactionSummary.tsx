import type { UseQueryResult } from '@tanstack/react-query';
import type { Transaction } from '../../../../shared/domain/ledger.schema.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { Money } from '../../ui/Money.js';
import { Progress } from '../../ui/Progress.js';

/** One side of a review: the transaction's date, payee, amount and notes. */
export function TransactionSummary({
  title,
  query,
}: {
  title: string;
  query: UseQueryResult<Transaction>;
}): React.JSX.Element {
  return (
    <section className="review-side" aria-label={title}>
      <h3>{title}</h3>
      {query.fetchStatus === 'idle' && query.isPending && <p className="muted">Not recorded.</p>}
      {query.fetchStatus !== 'idle' && query.isPending && <Progress label={`Loading ${title}`} />}
      {query.isError && <ErrorMessage error={query.error} title="Could not be loaded" />}
      {query.data !== undefined && (
        <dl className="review-fields">
          <dt>Date</dt>
          <dd>{formatIsoDate(query.data.date)}</dd>
          <dt>Payee</dt>
          <dd>{query.data.payeeName ?? '—'}</dd>
          <dt>Amount</dt>
          <dd>
            <Money minor={query.data.amountMinor} currency={query.data.currency} />
          </dd>
          <dt>Notes</dt>
          <dd>{query.data.notes === '' ? '—' : query.data.notes}</dd>
        </dl>
      )}
    </section>
  );
}
