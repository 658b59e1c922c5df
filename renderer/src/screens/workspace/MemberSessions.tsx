import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MemberSession } from '../../../../shared/api/workspace.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import type { StepUp } from '../../ui/step-up/use-step-up.js';
import { formatServerTime, sessionsQuery } from './workspace-queries.js';

/** Every member's open sessions; Sign out ends one (step-up). */
export function MemberSessions({ stepUp }: { stepUp: StepUp }): React.JSX.Element {
  const sessions = useQuery(sessionsQuery);
  if (sessions.isPending) return <Progress label="Reading members' sessions" />;
  if (sessions.isError) return <ErrorMessage error={sessions.error} title="Sessions not read" />;
  return (
    <table className="table">
      <caption className="visually-hidden">Members&apos; sessions</caption>
      <thead>
        <tr>
          <th scope="col">Member</th>
          <th scope="col">Device</th>
          <th scope="col">IP</th>
          <th scope="col">Last seen</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {sessions.data.sessions.map((session) => (
          <SessionRow key={session.id} session={session} stepUp={stepUp} />
        ))}
      </tbody>
    </table>
  );
}

function SessionRow({
  session,
  stepUp,
}: {
  session: MemberSession;
  stepUp: StepUp;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const who = session.email ?? session.userId;
  const revoke = useMutation({
    mutationFn: stepUp.guard(() => coffer().workspace.revokeSession({ sessionId: session.id })),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: sessionsQuery.queryKey }),
  });
  return (
    <tr>
      <td>{who}</td>
      <td>
        {session.deviceName}
        {session.platform !== '' && ` (${session.platform})`}
      </td>
      <td>{session.ip}</td>
      <td>{formatServerTime(session.lastSeenAt)}</td>
      <td>
        {session.current ? (
          'This device'
        ) : (
          <Button
            isPending={revoke.isPending}
            onPress={() => revoke.mutate({})}
            aria-label={`Sign out ${who} on ${session.deviceName}`}
          >
            {revoke.isPending ? 'Signing out…' : 'Sign out'}
          </Button>
        )}
        {revoke.isError && <ErrorMessage error={revoke.error} title="Not signed out" />}
      </td>
    </tr>
  );
}
