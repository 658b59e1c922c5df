import { queryOptions, useQuery } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';

export const reviewCountQuery = queryOptions({
  queryKey: ['reviews', 'count'],
  queryFn: () => coffer().reviews.count({}),
});

export const conflictCountQuery = queryOptions({
  queryKey: ['conflicts', 'count'],
  queryFn: () => coffer().conflicts.count({}),
});

/**
 * The number of things to review beside "Needs review" in the navigation (possible
 * duplicates from imports, and values changed on two devices); nothing at zero.
 */
export function ReviewCountBadge(): React.JSX.Element | null {
  const count = useQuery(reviewCountQuery);
  const conflicts = useQuery(conflictCountQuery);
  const total = (count.data ?? 0) + (conflicts.data ?? 0);
  if (total === 0) return null;
  return (
    <span className="nav-badge" data-testid="review-count">
      {' '}
      ({total})
    </span>
  );
}
