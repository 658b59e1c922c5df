import type { UseQueryResult } from '@tanstack/react-query';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';

/** The wait and the failure of a report query, said the same way on every tab. */
export function ReportState({
  query,
  what,
}: {
  query: UseQueryResult<unknown>;
  what: string;
}): React.JSX.Element | null {
  if (query.isPending) return <Progress label={`Loading ${what}`} />;
  if (query.isError)
    return <ErrorMessage error={query.error} title={`${what} could not be loaded`} />;
  return null;
}
