import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Checkbox } from 'react-aria-components';
import type { WorkspacePolicy } from '../../../../shared/api/workspace.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import type { StepUp } from '../../ui/step-up/use-step-up.js';
import { policyQuery } from './workspace-queries.js';

/** The workspace's security policy; each switch is saved as it changes (step-up). */
export function PolicyForm({ stepUp }: { stepUp: StepUp }): React.JSX.Element {
  const queryClient = useQueryClient();
  const policy = useQuery(policyQuery);
  const save = useMutation({
    mutationFn: stepUp.guard((next: WorkspacePolicy) => coffer().workspace.setPolicy(next)),
    onSuccess: (saved: WorkspacePolicy) => queryClient.setQueryData(policyQuery.queryKey, saved),
  });
  if (policy.isPending) return <Progress label="Reading the policy" />;
  if (policy.isError) return <ErrorMessage error={policy.error} title="Policy not read" />;
  const current = save.isPending ? save.variables : policy.data;
  const toggle = (patch: Partial<WorkspacePolicy>) => save.mutate({ ...policy.data, ...patch });
  return (
    <div className="form">
      <Checkbox
        className="checkbox"
        isSelected={current.requireMfa}
        isDisabled={save.isPending}
        onChange={(requireMfa) => toggle({ requireMfa })}
      >
        <span className="checkbox-box" aria-hidden="true" />
        Require two-factor sign-in for every member
      </Checkbox>
      <Checkbox
        className="checkbox"
        isSelected={current.forbidEmailOtp}
        isDisabled={save.isPending}
        onChange={(forbidEmailOtp) => toggle({ forbidEmailOtp })}
      >
        <span className="checkbox-box" aria-hidden="true" />
        Do not accept codes by email as a second factor
      </Checkbox>
      {save.isPending && <Progress label="Saving the policy" />}
      {save.isError && <ErrorMessage error={save.error} title="Policy not changed" />}
    </div>
  );
}
