import { useMutation } from '@tanstack/react-query';
import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { describeSyncStatus } from './sync-status-text.js';

type SignedIn = Extract<SyncAccountStatus, { signedIn: true }>;

let timeFormat: Intl.DateTimeFormat | undefined;
function formatTime(ms: number): string {
  timeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return timeFormat.format(new Date(ms));
}

/**
 * What sync is doing now, live from the core's `sync.status` events: synced, syncing,
 * offline with changes waiting, or stopped with the reason, and a Retry where it helps.
 */
export function SyncStatusStrip({ status }: { status: SignedIn }): React.JSX.Element {
  const text = describeSyncStatus(status, formatTime);
  const retry = useMutation({ mutationFn: () => coffer().sync.syncNow({}) });
  return (
    <div className={`sync-strip sync-strip-${text.tone}`}>
      <p role="status" aria-label="Sync status" className="sync-strip-text">
        <strong>{text.title}</strong> {text.detail}
      </p>
      {text.canRetry && (
        <Button isPending={retry.isPending} onPress={() => retry.mutate()}>
          {retry.isPending ? 'Retrying…' : 'Retry'}
        </Button>
      )}
      {retry.isError && <ErrorMessage error={retry.error} title="Sync did not start" />}
    </div>
  );
}
