import { queryOptions, useQuery } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';

export const reviewCountQuery = queryOptions({
  queryKey: ['reviews', 'count'],
  queryFn: () => coffer().reviews.count({}),
});

/** The number of open reviews beside "Needs review" in the navigation; nothing at zero. */
export function ReviewCountBadge(): React.JSX.Element | null {
  const count = useQuery(reviewCountQuery);
  if (count.data === undefined || count.data === 0) return null;
  return (
    <span className="nav-badge" data-testid="review-count">
      {' '}
      ({count.data})
    </span>
  );
}
