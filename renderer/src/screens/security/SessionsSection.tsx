import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { AccountSession } from '../../../../shared/api/security.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { formatInstant } from '../../ui/format.js';
import { useStepUp } from '../../ui/step-up/use-step-up.js';
import { SECURITY_KEY, sessionsQuery } from './use-security-queries.js';

/**
 * Where the account is signed in. Signing a session out makes that device erase its copy
 * of the synced data at its next contact, and moves the account's keys on without it.
 */
export function SessionsSection(): React.JSX.Element {
  const queryClient = useQueryClient();
  const sessions = useQuery(sessionsQuery);
  const stepUp = useStepUp();
  const [confirmingAll, setConfirmingAll] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: SECURITY_KEY });
  const revoke = useMutation({
    mutationFn: stepUp.guard((sessionId: string) => coffer().security.revokeSession({ sessionId })),
    onSuccess: refresh,
  });
  const revokeOthers = useMutation({
    mutationFn: stepUp.guard(() => coffer().security.revokeOtherSessions({})),
    onSuccess: async () => {
      setConfirmingAll(false);
      await refresh();
    },
  });
  const others = (sessions.data ?? []).filter((session) => !session.current);

  return (
    <section className="card" aria-labelledby="security-sessions-heading">
      <h2 id="security-sessions-heading">Signed-in devices</h2>
      <p>
        A device you sign out here erases its copy of your synced data the next time it connects;
        changes it had not synced yet are lost. To sign this device out, use the Sync screen.
      </p>
      {sessions.data === undefined ? (
        sessions.isError ? (
          <ErrorMessage error={sessions.error} title="Could not list the sessions" />
        ) : (
          <Progress label="Reading the sessions" />
        )
      ) : (
        <table className="table" aria-label="Signed-in devices">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">IP address</th>
              <th scope="col">Last seen</th>
              <th scope="col">Signed in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((session) => (
              <SessionRow
                key={session.id}
                session={session}
                pending={revoke.isPending && revoke.variables === session.id}
                busy={revoke.isPending}
                onRevoke={() => revoke.mutate(session.id)}
              />
            ))}
          </tbody>
        </table>
      )}
      {revoke.isError && <ErrorMessage error={revoke.error} title="Not signed out" />}
      <p role="status" className="status-line">
        {revokeOthers.isSuccess
          ? `${revokeOthers.data.endedSessions} other ${revokeOthers.data.endedSessions === 1 ? 'session was' : 'sessions were'} signed out.`
          : revoke.isSuccess
            ? 'The device was signed out.'
            : ''}
      </p>
      {others.length > 0 &&
        (confirmingAll ? (
          <div role="group" aria-label="Sign out all other sessions">
            <p>
              Sign out all {others.length} other {others.length === 1 ? 'session' : 'sessions'}?
              Only this device stays signed in.
            </p>
            <div className="button-row">
              <Button
                variant="danger"
                isPending={revokeOthers.isPending}
                onPress={() => revokeOthers.mutate()}
              >
                {revokeOthers.isPending ? 'Signing out…' : 'Sign out the others'}
              </Button>
              <Button onPress={() => setConfirmingAll(false)}>Cancel</Button>
            </div>
          </div>
        ) : (
          <Button variant="danger" onPress={() => setConfirmingAll(true)}>
            Sign out all other sessions
          </Button>
        ))}
      {revokeOthers.isError && (
        <ErrorMessage error={revokeOthers.error} title="The other sessions were not signed out" />
      )}
      {stepUp.dialog}
    </section>
  );
}

function SessionRow({
  session,
  pending,
  busy,
  onRevoke,
}: {
  session: AccountSession;
  pending: boolean;
  busy: boolean;
  onRevoke: () => void;
}): React.JSX.Element {
  const device =
    session.platform === null || session.platform === 'unknown'
      ? session.deviceName
      : `${session.deviceName} (${session.platform})`;
  return (
    <tr aria-current={session.current ? 'true' : undefined}>
      <th scope="row">
        {device}
        {session.current && <strong className="tag"> — this device</strong>}
      </th>
      <td>{session.ip}</td>
      <td>{formatInstant(session.lastSeenAt)}</td>
      <td>{formatInstant(session.createdAt)}</td>
      <td>
        {!session.current && (
          <Button
            variant="danger"
            isPending={pending}
            isDisabled={busy && !pending}
            aria-label={`Sign out ${session.deviceName}`}
            onPress={onRevoke}
          >
            {pending ? 'Signing out…' : 'Sign out'}
          </Button>
        )}
      </td>
    </tr>
  );
}
