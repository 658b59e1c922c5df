import { useQuery } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { ConflictCard } from './ConflictCard.js';

export const conflictListQuery = {
  queryKey: ['conflicts', 'list'],
  queryFn: () => coffer().conflicts.list({}),
} as const;

/** Money fields two synced devices changed at once; nothing shows when there are none. */
export function ConflictList(): React.JSX.Element | null {
  const conflicts = useQuery(conflictListQuery);
  if (conflicts.isPending) return <Progress label="Loading changes made on two devices" />;
  if (conflicts.isError) {
    return <ErrorMessage error={conflicts.error} title="Changes to review could not be loaded" />;
  }
  if (conflicts.data.length === 0) return null;
  return (
    <ul className="review-list" aria-label="Changed on two devices">
      {conflicts.data.map((conflict) => (
        <li key={conflict.id}>
          <ConflictCard conflict={conflict} />
        </li>
      ))}
    </ul>
  );
}
