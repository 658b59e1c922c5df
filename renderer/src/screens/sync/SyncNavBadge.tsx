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
 * the vault is signed in and syncing, then synced / syncing / offline / error (with the
 * changes a viewer's role keeps unsent), and the new devices waiting for approval.
 */
export function SyncNavBadge(): React.JSX.Element | null {
  const status = useSyncStatus();
  const waiting = usePendingApprovals().length;
  if (status?.signedIn !== true || status.loop === null) return null;
  const state = status.loop.state;
  const held = status.loop.state === 'synced' ? status.loop.held : 0;
  return (
    <>
      <span className={`nav-badge sync-badge sync-badge-${state}`} data-testid="sync-state">
        {' '}
        ({SHORT[state]}
        {held > 0 && `, ${held} unsent`})
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
