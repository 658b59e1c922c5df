import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';

export const syncStatusQuery = queryOptions({
  queryKey: ['sync', 'status'],
  queryFn: () => coffer().sync.status({}),
});

/**
 * The vault's sync as the core last reported it: read once, then kept current by the
 * core's `sync.status` events (each carries the whole status), so no screen polls.
 */
export function useSyncStatus(): SyncAccountStatus | undefined {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      coffer().events.subscribe((event) => {
        if (event.name !== 'sync.status') return;
        queryClient.setQueryData(
          syncStatusQuery.queryKey,
          event.data as unknown as SyncAccountStatus,
        );
      }),
    [queryClient],
  );
  return useQuery(syncStatusQuery).data;
}
