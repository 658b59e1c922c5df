import { useQuery } from '@tanstack/react-query';
import type { TransactionReview } from '../../../../shared/domain/import.schema.js';
import type { ReviewAction } from '../../../../shared/domain/import.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { TransactionSummary } from './TransactionSummary.js';

export function ReviewCard({ review }: { review: TransactionReview }): React.JSX.Element {
  const resolve = useCofferMutation((action: ReviewAction) =>
    coffer().reviews.resolve({ id: review.id, action }),
  );
  const imported = useTransaction(review.transactionId);
  const related = useTransaction(review.relatedTransactionId);
  const headingId = `review-${review.id}`;
  return (
    <article className="card review-card" aria-labelledby={headingId} data-testid="review-card">
      <h2 id={headingId}>Possible duplicate</h2>
      {review.detail !== '' && <p className="muted">{review.detail}</p>}
      <div className="review-pair">
        <TransactionSummary title="Imported" query={imported} />
        <TransactionSummary title="Already in the ledger" query={related} />
      </div>
      <div className="button-row">
        <Button isPending={resolve.isPending} onPress={() => resolve.mutate('keep')}>
          Keep both
        </Button>
        <Button
          variant="danger"
          isPending={resolve.isPending}
          onPress={() => resolve.mutate('delete')}
        >
          Delete the imported one
        </Button>
      </div>
      {resolve.isPending && <Progress label="Resolving" />}
      {resolve.isError && (
        <ErrorMessage error={resolve.error} title="The review was not resolved" />
      )}
    </article>
  );
}

function useTransaction(id: string | null) {
  return useQuery({
    queryKey: ['transactions', 'get', { id }],
    queryFn: () => coffer().transactions.get({ id: id ?? '' }),
    enabled: id !== null,
  });
}
