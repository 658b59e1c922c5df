import { useQuery } from '@tanstack/react-query';
import { can } from '../../../../shared/sync/workspace-roles.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { useStepUp } from '../../ui/step-up/use-step-up.js';
import { useSyncStatus } from '../sync/use-sync-status.js';
import { AuditLog } from './AuditLog.js';
import { InviteForm } from './InviteForm.js';
import { MemberSessions } from './MemberSessions.js';
import { MembersTable } from './MembersTable.js';
import { MfaRequiredNotice, isMfaRequired } from './MfaRequiredNotice.js';
import { PolicyForm } from './PolicyForm.js';
import { membersQuery } from './workspace-queries.js';

/**
 * Workspace → Members: who is in the vault's workspace and, for a role that may, invites,
 * roles, removal, the security policy, members' sessions and the audit log. What a role may
 * do is the shared role matrix's; what it cannot is not shown, and the server's refusal is
 * shown when it refuses anyway.
 */
export function WorkspaceScreen(): React.JSX.Element {
  const status = useSyncStatus();
  const stepUp = useStepUp();
  const hasWorkspace = status?.signedIn === true && status.workspace !== null;
  const members = useQuery({ ...membersQuery, enabled: hasWorkspace });

  let body: React.ReactNode;
  if (status === undefined || (hasWorkspace && members.isPending)) {
    body = <Progress label="Reading the members" />;
  } else if (!hasWorkspace) {
    body = (
      <p>
        This vault has no workspace. <a href="#/sync">Create or join one on the Sync screen.</a>
      </p>
    );
  } else if (members.isError) {
    body = isMfaRequired(members.error) ? (
      <MfaRequiredNotice />
    ) : (
      <ErrorMessage error={members.error} title="Members not read" />
    );
  } else if (members.data !== undefined) {
    const role = members.data.role;
    body = (
      <>
        <section className="card" aria-labelledby="workspace-members-heading">
          <h2 id="workspace-members-heading">Members</h2>
          <p>Your role: {role}</p>
          <MembersTable
            members={members.data.members}
            canManage={can(role, 'manage_members')}
            stepUp={stepUp}
          />
        </section>
        {can(role, 'manage_members') && (
          <section className="card" aria-labelledby="workspace-invite-heading">
            <h2 id="workspace-invite-heading">Invite</h2>
            <InviteForm />
          </section>
        )}
        {can(role, 'security') && (
          <>
            <section className="card" aria-labelledby="workspace-policy-heading">
              <h2 id="workspace-policy-heading">Security policy</h2>
              <PolicyForm stepUp={stepUp} />
            </section>
            <section className="card" aria-labelledby="workspace-sessions-heading">
              <h2 id="workspace-sessions-heading">Members&apos; sessions</h2>
              <MemberSessions stepUp={stepUp} />
            </section>
            <section className="card" aria-labelledby="workspace-audit-heading">
              <h2 id="workspace-audit-heading">Audit log</h2>
              <AuditLog members={members.data.members} />
            </section>
          </>
        )}
      </>
    );
  }
  const name = status?.signedIn === true ? status.workspace?.name : null;
  return (
    <section aria-labelledby="workspace-heading" className="screen">
      <h1 id="workspace-heading">Workspace</h1>
      {name !== null && name !== undefined && <p>{name}</p>}
      {body}
      {stepUp.dialog}
    </section>
  );
}
