import { useQuery } from '@tanstack/react-query';
import type { PendingDeviceApproval } from '../../../../shared/api/devices.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { useSyncStatus } from './use-sync-status.js';
import { SERVER_QUERY } from '../../api/query-sources.js';

/** How often a signed-in device asks the server for new devices waiting for approval. */
const POLL_MS = 5_000;

export const PENDING_APPROVALS_KEY = ['sync', 'device-approvals'] as const;

/**
 * New devices of this account waiting for approval, while this vault is signed in and
 * syncing. The server announces none, so this asks every few seconds; a request lives 15
 * minutes, so a notice a few seconds late costs nothing.
 */
export function usePendingApprovals(): PendingDeviceApproval[] {
  const status = useSyncStatus();
  const enabled = status?.signedIn === true && status.loop !== null;
  const query = useQuery({
    queryKey: PENDING_APPROVALS_KEY,
    meta: SERVER_QUERY,
    queryFn: () => coffer().devices.pendingApprovals({}),
    enabled,
    refetchInterval: POLL_MS,
    retry: false,
  });
  return enabled ? (query.data ?? []) : [];
}
