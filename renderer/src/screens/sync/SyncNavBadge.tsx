import { usePendingApprovals } from './use-pending-approvals.js';
import { useSyncStatus } from './use-sync-status.js';

const SHORT: Record<string, string> = {
  synced: 'synced',
  syncing: 'syncing',
  offline: 'offline',
  error: 'error',
};

/**
 * The sync's state beside "Sync" in the navigation, live on every screen: nothing until
 * the vault is signed in and syncing, then synced / syncing / offline / error, and the new
 * devices waiting for approval.
 */
export function SyncNavBadge(): React.JSX.Element | null {
  const status = useSyncStatus();
  const waiting = usePendingApprovals().length;
  if (status?.signedIn !== true || status.loop === null) return null;
  const state = status.loop.state;
  return (
    <>
      <span className={`nav-badge sync-badge sync-badge-${state}`} data-testid="sync-state">
        {' '}
        ({SHORT[state]})
      </span>
      {waiting > 0 && (
        <span className="nav-badge nav-badge-alert" data-testid="device-approvals">
          {' '}
          ({waiting === 1 ? '1 device waiting' : `${waiting} devices waiting`})
        </span>
      )}
    </>
  );
}
