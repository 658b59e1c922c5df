import { useQuery } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { ConflictList, conflictListQuery } from './ConflictList.js';
import { ReviewCard } from './ReviewCard.js';
import './review.css';

/**
 * Money fields two synced devices changed at once, both values side by side; and
 * transactions an import wrote that may repeat one already in the ledger, each beside the
 * one it resembles. Nothing is decided for the user.
 */
export function ReviewScreen(): React.JSX.Element {
  const reviews = useQuery({
    queryKey: ['reviews', 'list'],
    queryFn: () => coffer().reviews.list({}),
  });
  const conflicts = useQuery(conflictListQuery);
  return (
    <section aria-labelledby="review-heading" className="screen">
      <h1 id="review-heading">Needs review</h1>
      <ConflictList />
      {reviews.isPending && <Progress label="Loading reviews" />}
      {reviews.isError && (
        <ErrorMessage error={reviews.error} title="Reviews could not be loaded" />
      )}
      {reviews.data?.length === 0 && conflicts.data?.length === 0 && <p>Nothing needs review.</p>}
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
