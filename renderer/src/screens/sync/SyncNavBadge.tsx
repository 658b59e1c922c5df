import { useSyncStatus } from './use-sync-status.js';

const SHORT: Record<string, string> = {
  synced: 'synced',
  syncing: 'syncing',
  offline: 'offline',
  error: 'error',
};

/**
 * The sync's state beside "Sync" in the navigation, live on every screen: nothing until
 * the vault is signed in and syncing, then synced / syncing / offline / error.
 */
export function SyncNavBadge(): React.JSX.Element | null {
  const status = useSyncStatus();
  if (status?.signedIn !== true || status.loop === null) return null;
  const state = status.loop.state;
  return (
    <span className={`nav-badge sync-badge sync-badge-${state}`} data-testid="sync-state">
      {' '}
      ({SHORT[state]})
    </span>
  );
}
