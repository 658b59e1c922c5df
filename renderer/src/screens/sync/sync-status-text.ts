/**
 * What the sync status strip says for a signed-in vault: one short title a glance can take
 * in, the detail under it, and whether a Retry makes sense. Pure, so every state is tested.
 */
import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';

export type SyncTone = 'ok' | 'busy' | 'warning' | 'error' | 'idle';

export interface SyncStatusText {
  tone: SyncTone;
  title: string;
  detail: string;
  /** Whether a "Retry" (a sync round now) can help. */
  canRetry: boolean;
}

type SignedIn = Extract<SyncAccountStatus, { signedIn: true }>;

const changes = (n: number): string => (n === 1 ? '1 change' : `${n} changes`);

export function describeSyncStatus(
  status: SignedIn,
  formatTime: (ms: number) => string,
): SyncStatusText {
  const loop = status.loop;
  const last =
    status.lastSyncAt === null
      ? 'Not synced yet.'
      : `Last synced ${formatTime(status.lastSyncAt)}.`;
  if (loop === null) {
    if (status.workspace === null) {
      return {
        tone: 'idle',
        title: 'No workspace yet',
        detail: 'Signed in. Nothing syncs until this account has a workspace.',
        canRetry: false,
      };
    }
    return { tone: 'idle', title: 'Not syncing', detail: last, canRetry: true };
  }
  switch (loop.state) {
    case 'synced':
      // Received and applied, yet this device's own changes are not sent: not plain "synced".
      if (loop.held > 0) {
        return {
          tone: 'warning',
          title: `Synced, ${changes(loop.held)} unsent`,
          detail: `Last synced ${formatTime(loop.lastSyncAt)}. Everyone else’s changes arrive; ${changes(loop.held)} made here ${loop.held === 1 ? 'waits' : 'wait'} unsent because your role in this workspace sends none. An admin can make you a member.`,
          canRetry: false,
        };
      }
      return {
        tone: 'ok',
        title: 'Synced',
        detail: `Last synced ${formatTime(loop.lastSyncAt)}.`,
        canRetry: false,
      };
    case 'syncing': {
      const { pushed, pulled } = loop.progress;
      return {
        tone: 'busy',
        title: 'Syncing',
        detail: `${changes(pushed)} sent, ${changes(pulled)} received so far.`,
        canRetry: false,
      };
    }
    case 'offline':
      return {
        tone: 'warning',
        title: 'Offline',
        detail: `${changes(loop.queued)} waiting to be sent. Trying again at ${formatTime(loop.retryAt)}.`,
        canRetry: true,
      };
    case 'error': {
      // A joiner waits on an admin's device, not on a fault: said as a step, not an error.
      if (loop.code === 'WORKSPACE_KEY_PENDING') {
        return {
          tone: 'busy',
          title: 'Waiting for the workspace key',
          detail:
            'Joined. An admin’s device shares the key when an admin opens Workspace → Members; sync starts then.',
          canRetry: true,
        };
      }
      const queued = loop.queued > 0 ? ` ${changes(loop.queued)} waiting to be sent.` : '';
      const retry =
        loop.retryAt === null
          ? ' Sync has stopped until you retry.'
          : ` Trying again at ${formatTime(loop.retryAt)}.`;
      return {
        tone: 'error',
        title: 'Sync error',
        detail: `${loop.message.replace(/\.$/, '')} (${loop.code}).${queued}${retry}`,
        canRetry: true,
      };
    }
  }
}
