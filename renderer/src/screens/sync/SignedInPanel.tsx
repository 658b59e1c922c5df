import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SyncAccountStatus } from '../../../../shared/api/sync.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { FingerprintGroups } from './FingerprintGroups.js';
import { SyncStatusStrip } from './SyncStatusStrip.js';
import { WorkspaceSetup } from './WorkspaceSetup.js';
import { MfaRequiredNotice } from '../workspace/MfaRequiredNotice.js';

type SignedIn = Extract<SyncAccountStatus, { signedIn: true }>;

/** A signed-in vault: its sync's state, the account and server it syncs with, Sign out. */
export function SignedInPanel({ status }: { status: SignedIn }): React.JSX.Element {
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: () => coffer().sync.signOut({}),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['sync'] }),
  });
  return (
    <>
      <section className="card" aria-labelledby="sync-account-heading">
        <h2 id="sync-account-heading">Signed in</h2>
        <SyncStatusStrip status={status} />
        {status.loop?.state === 'error' && status.loop.code === 'MFA_REQUIRED' && (
          <MfaRequiredNotice />
        )}
        <dl className="details">
          <dt>Email</dt>
          <dd>{status.email}</dd>
          <dt>Server</dt>
          <dd>
            <code>{status.server}</code>
          </dd>
          {status.fingerprint !== null && (
            <>
              <dt>Trusted certificate</dt>
              <dd>
                <FingerprintGroups
                  fingerprint={status.fingerprint}
                  label="Trusted certificate fingerprint"
                />
              </dd>
            </>
          )}
          <dt>Workspace</dt>
          <dd>
            {status.workspace === null
              ? 'None yet'
              : `${status.workspace.name ?? 'Unnamed'} (${status.workspace.role})`}
          </dd>
        </dl>
        <Button variant="danger" isPending={signOut.isPending} onPress={() => signOut.mutate()}>
          {signOut.isPending ? 'Signing out…' : 'Sign out'}
        </Button>
        {signOut.isError && <ErrorMessage error={signOut.error} title="Not signed out" />}
      </section>
      {status.workspace === null && <WorkspaceSetup />}
    </>
  );
}
