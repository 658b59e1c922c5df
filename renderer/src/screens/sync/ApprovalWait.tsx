import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApprovalRequestView } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';

const WAIT_MS = 15 * 60_000;

/**
 * A new device waiting for a signed-in one to approve it: the code to compare there, how
 * long the request has left, and Cancel. The core waits; its answer (signed in, or the
 * reason it ended) arrives as the sync status.
 */
export function ApprovalWait({
  approval,
}: {
  approval: ApprovalRequestView | undefined;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const now = useNow(1_000);
  const cancel = useMutation({
    mutationFn: () => coffer().sync.signInCancel({}),
    onSettled: async () => queryClient.invalidateQueries({ queryKey: ['sync'] }),
  });
  const left = approval === undefined ? WAIT_MS : Date.parse(approval.expiresAt) - now;
  return (
    <section className="card" aria-labelledby="approval-wait-heading">
      <h2 id="approval-wait-heading">Approve this device</h2>
      {approval === undefined ? (
        <Progress label="Asking the server for a code" />
      ) : (
        <>
          <p>
            On a device already signed in to this account, open <strong>Sync</strong>: it lists this
            request. Approve it there only if it shows the same code:
          </p>
          <p className="approval-code" aria-label="Approval code">
            {approval.code}
          </p>
          <Progress
            label={`Waiting for approval: ${minutesLeft(left)}`}
            value={Math.max(0, WAIT_MS - left)}
            total={WAIT_MS}
          />
          <p className="hint">
            The request expires 15 minutes after it was made, at{' '}
            {new Date(approval.expiresAt).toLocaleTimeString()}. After that, sign in again to make a
            new one.
          </p>
        </>
      )}
      <Button isPending={cancel.isPending} onPress={() => cancel.mutate()}>
        Cancel sign-in
      </Button>
      {cancel.isError && <ErrorMessage error={cancel.error} title="Not cancelled" />}
    </section>
  );
}

function minutesLeft(ms: number): string {
  if (ms <= 0) return 'the request has expired';
  const minutes = Math.ceil(ms / 60_000);
  return minutes === 1 ? 'less than a minute left' : `${minutes} minutes left`;
}

/** The time now, again every `everyMs` while mounted. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
