import { useQuery } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { ReviewCard } from './ReviewCard.js';
import './review.css';

/**
 * Transactions an import wrote that may repeat one already in the ledger, each beside the
 * one it resembles. Nothing is decided for the user: keep both, or delete the imported one.
 */
export function ReviewScreen(): React.JSX.Element {
  const reviews = useQuery({
    queryKey: ['reviews', 'list'],
    queryFn: () => coffer().reviews.list({}),
  });
  return (
    <section aria-labelledby="review-heading" className="screen">
      <h1 id="review-heading">Needs review</h1>
      {reviews.isPending && <Progress label="Loading reviews" />}
      {reviews.isError && (
        <ErrorMessage error={reviews.error} title="Reviews could not be loaded" />
      )}
      {reviews.data?.length === 0 && <p>Nothing needs review.</p>}
      {reviews.data !== undefined && reviews.data.length > 0 && (
        <ul className="review-list" aria-label="Open reviews">
          {reviews.data.map((review) => (
            <li key={review.id}>
              <ReviewCard review={review} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
