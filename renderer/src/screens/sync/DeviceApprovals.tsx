import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import type { PendingDeviceApproval } from '../../../../shared/api/devices.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { useStepUp, type StepUp } from '../../ui/step-up/use-step-up.js';
import { TextInput } from '../../ui/TextInput.js';
import { PENDING_APPROVALS_KEY, usePendingApprovals } from './use-pending-approvals.js';

/**
 * New devices asking to be let in to this account. Each shows the code this device derives
 * for it: approve only when the new device shows the same. Approving seals the account's
 * keys to that device; the server asks for the password first (a step-up, in place).
 */
export function DeviceApprovals(): React.JSX.Element | null {
  const requests = usePendingApprovals();
  const stepUp = useStepUp();
  if (requests.length === 0) return stepUp.dialog === null ? null : <>{stepUp.dialog}</>;
  return (
    <section className="card notice-card" aria-labelledby="device-approvals-heading">
      <h2 id="device-approvals-heading">
        {requests.length === 1
          ? 'A new device asks to sign in'
          : `${requests.length} new devices ask to sign in`}
      </h2>
      <p>
        If this was not you, deny it, and change your password. Approve only a device you are
        signing in yourself, after comparing the code.
      </p>
      <ul className="approval-list" aria-label="Devices waiting for approval">
        {requests.map((request) => (
          <li key={request.id}>
            <ApprovalRequest request={request} stepUp={stepUp} />
          </li>
        ))}
      </ul>
      {stepUp.dialog}
    </section>
  );
}

const FormSchema = z.object({
  code: z.string().trim().min(1, 'Type the code the new device shows'),
});
type FormValues = z.input<typeof FormSchema>;

function ApprovalRequest({
  request,
  stepUp,
}: {
  request: PendingDeviceApproval;
  stepUp: StepUp;
}): React.JSX.Element {
  const queryClient = useQueryClient();
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { code: '' },
  });
  const refresh = async () => queryClient.invalidateQueries({ queryKey: PENDING_APPROVALS_KEY });
  const approve = useMutation({
    mutationFn: stepUp.guard((code: string) => coffer().devices.approve({ id: request.id, code })),
    onSuccess: refresh,
    onError: (error) => {
      if (isCodeError(error)) form.setError('code', { message: error.message });
    },
  });
  const deny = useMutation({
    mutationFn: () => coffer().devices.deny({ id: request.id }),
    onSuccess: refresh,
  });
  const submit = form.handleSubmit((values) => approve.mutate(values.code));
  const headingId = `approval-${request.id}`;
  return (
    <form
      className="form approval-request"
      aria-labelledby={headingId}
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id={headingId}>{request.deviceName}</h3>
      <dl className="details">
        <dt>Asked</dt>
        <dd>{new Date(request.createdAt).toLocaleString()}</dd>
        <dt>From IP address</dt>
        <dd>{request.ip}</dd>
        <dt>Platform</dt>
        <dd>{request.platform}</dd>
        <dt>Code here</dt>
        <dd className="approval-code" aria-label={`Code for ${request.deviceName}`}>
          {request.code}
        </dd>
      </dl>
      <Controller
        control={form.control}
        name="code"
        render={({ field, fieldState }) => (
          <TextInput
            label="Code shown on the new device"
            description="Type it as the new device shows it; it must match the code here"
            autoComplete="off"
            spellCheck="false"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" isPending={approve.isPending}>
          {approve.isPending ? 'Approving…' : 'Approve'}
        </Button>
        <Button variant="danger" isPending={deny.isPending} onPress={() => deny.mutate()}>
          {deny.isPending ? 'Denying…' : 'Deny'}
        </Button>
      </div>
      {approve.isError && !isCodeError(approve.error) && (
        <ErrorMessage error={approve.error} title="Not approved" />
      )}
      {deny.isError && <ErrorMessage error={deny.error} title="Not denied" />}
    </form>
  );
}

/** A refusal about the typed code, shown beside it (the rest show under the buttons). */
function isCodeError(error: unknown): boolean {
  return (
    isApiError(error) &&
    (error.code === 'APPROVAL_CODE_MISMATCH' || Object.hasOwn(error.fieldErrors(), 'code'))
  );
}
