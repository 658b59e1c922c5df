import { useMutation, useQueryClient } from '@tanstack/react-query';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { useSyncStatus } from './use-sync-status.js';

/**
 * Beside the Recovery Key at a sign-in's last step: ask a device already signed in to this
 * account to open the keys here. The wait itself is shown by ApprovalWait, from the status.
 */
export function ApprovalStart(): React.JSX.Element {
  const queryClient = useQueryClient();
  const status = useSyncStatus();
  // Why the last wait ended without keys (denied, expired), as the core said.
  const ended = status?.signedIn === false ? status.approvalEnded : undefined;
  const ask = useMutation({
    mutationFn: () => coffer().sync.signInWithApproval({}),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['sync'] }),
  });
  return (
    <section className="approval-start" aria-labelledby="approval-start-heading">
      <h3 id="approval-start-heading">Or approve from a signed-in device</h3>
      <p>
        No Recovery Key at hand? A device already signed in to this account can open your keys here.
        You compare a short code on both devices.
      </p>
      {ended !== undefined && !ask.isPending && (
        <div role="alert" className="error-message">
          <strong>Not approved: </strong>
          {ended.message}
          <span className="error-code"> ({ended.code})</span>
        </div>
      )}
      <Button isPending={ask.isPending} onPress={() => ask.mutate()}>
        {ask.isPending ? 'Asking…' : 'Approve from a signed-in device'}
      </Button>
      {ask.isError && <ErrorMessage error={ask.error} title="No approval asked for" />}
    </section>
  );
}
