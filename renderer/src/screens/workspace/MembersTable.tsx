import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { MemberFactor, WorkspaceMember } from '../../../../shared/api/workspace.methods.js';
import { WORKSPACE_ROLES, type WorkspaceRole } from '../../../../shared/sync/workspace-roles.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ModalDialog } from '../../ui/Dialog.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import type { StepUp } from '../../ui/step-up/use-step-up.js';

const ROLE_OPTIONS = WORKSPACE_ROLES.map((role) => ({ id: role, label: role }));

const FACTOR_LABELS: Record<MemberFactor, string> = {
  passkey: 'Passkey',
  totp: 'Authenticator app',
  email: 'Email codes',
};

/** What a member has set up beyond the password; "None" is who a 2FA policy would stop. */
function factorText(factors: readonly MemberFactor[]): string {
  return factors.length === 0 ? 'None' : factors.map((f) => FACTOR_LABELS[f]).join(', ');
}

/**
 * The members, "you" marked. With `canManage` each other row has a role choice and
 * Remove; the server still decides, and its refusal (the last admin) shows by the row.
 * An admin also sees each member's second factors (the server tells no other role).
 */
export function MembersTable({
  members,
  canManage,
  stepUp,
}: {
  members: WorkspaceMember[];
  canManage: boolean;
  stepUp: StepUp;
}): React.JSX.Element {
  const [removing, setRemoving] = useState<WorkspaceMember | null>(null);
  const showFactors = members.some((member) => member.secondFactors !== null);
  return (
    <>
      <table className="table">
        <caption className="visually-hidden">Members</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Key</th>
            {showFactors && <th scope="col">Second factor</th>}
            {canManage && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <MemberRow
              key={member.userId}
              member={member}
              canManage={canManage}
              showFactors={showFactors}
              stepUp={stepUp}
              onRemove={() => setRemoving(member)}
            />
          ))}
        </tbody>
      </table>
      {removing !== null && (
        <RemoveMemberDialog member={removing} stepUp={stepUp} onClose={() => setRemoving(null)} />
      )}
    </>
  );
}

function MemberRow({
  member,
  canManage,
  showFactors,
  stepUp,
  onRemove,
}: {
  member: WorkspaceMember;
  canManage: boolean;
  showFactors: boolean;
  stepUp: StepUp;
  onRemove: () => void;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const [role, setRole] = useState<WorkspaceRole>(member.role);
  const change = useMutation({
    mutationFn: stepUp.guard((next: WorkspaceRole) =>
      coffer().workspace.setRole({ email: member.email, role: next }),
    ),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['workspace'] }),
  });
  return (
    <tr>
      <td>
        {member.email}
        {member.you && <strong> (you)</strong>}
      </td>
      <td>{member.role}</td>
      <td>{member.hasKey ? 'Shared' : 'Waiting for an admin device'}</td>
      {showFactors && <td>{factorText(member.secondFactors ?? [])}</td>}
      {canManage && (
        <td>
          <div className="button-row">
            <SelectInput
              label={`Role of ${member.email}`}
              value={role}
              onChange={(value) => setRole(value as WorkspaceRole)}
              options={ROLE_OPTIONS}
            />
            <Button
              isPending={change.isPending}
              isDisabled={role === member.role}
              onPress={() => change.mutate(role)}
            >
              {change.isPending ? 'Changing…' : 'Change role'}
            </Button>
            <Button variant="danger" onPress={onRemove} aria-label={`Remove ${member.email}`}>
              Remove
            </Button>
          </div>
          {change.isError && <ErrorMessage error={change.error} title="Role not changed" />}
        </td>
      )}
    </tr>
  );
}

function RemoveMemberDialog({
  member,
  stepUp,
  onClose,
}: {
  member: WorkspaceMember;
  stepUp: StepUp;
  onClose: () => void;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: stepUp.guard(() => coffer().workspace.remove({ email: member.email })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['workspace'] });
      onClose();
    },
  });
  return (
    <ModalDialog title={`Remove ${member.email}?`} onClose={onClose}>
      <p role="note" className="warning">
        What is already on {member.email}&apos;s devices cannot be taken back: they keep the data
        they have synced. Removing them keeps everything new from them: the workspace key is
        replaced and they get none of what is written from now on.
      </p>
      <div className="button-row">
        <Button variant="danger" isPending={remove.isPending} onPress={() => remove.mutate({})}>
          {remove.isPending ? 'Removing…' : 'Remove member'}
        </Button>
        <Button onPress={onClose}>Cancel</Button>
      </div>
      {remove.isError && <ErrorMessage error={remove.error} title="Not removed" />}
    </ModalDialog>
  );
}
