import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import type { PendingDeviceApproval } from '../../../../shared/api/devices.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { serverCode } from './sync-errors.js';
import { PENDING_APPROVALS_KEY, usePendingApprovals } from './use-pending-approvals.js';

/**
 * New devices asking to be let in to this account. Each shows the code this device derives
 * for it: approve only when the new device shows the same. Approving seals the account's
 * keys to that device; the server asks for the password first (a step-up).
 */
export function DeviceApprovals(): React.JSX.Element | null {
  const requests = usePendingApprovals();
  if (requests.length === 0) return null;
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
            <ApprovalRequest request={request} />
          </li>
        ))}
      </ul>
    </section>
  );
}

const FormSchema = z.object({
  code: z.string().trim().min(1, 'Type the code the new device shows'),
  password: z.string().min(1, 'Enter your password to confirm'),
  secondFactorCode: z.string().trim(),
});
type FormValues = z.input<typeof FormSchema>;
type Field = keyof FormValues;

function ApprovalRequest({ request }: { request: PendingDeviceApproval }): React.JSX.Element {
  const queryClient = useQueryClient();
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { code: '', password: '', secondFactorCode: '' },
  });
  const refresh = async () => queryClient.invalidateQueries({ queryKey: PENDING_APPROVALS_KEY });
  const approve = useMutation({
    mutationFn: (values: z.output<typeof FormSchema>) =>
      coffer().devices.approve({
        id: request.id,
        code: values.code,
        password: values.password,
        ...(values.secondFactorCode === '' ? {} : { secondFactorCode: values.secondFactorCode }),
      }),
    onSuccess: refresh,
    onError: (error) => {
      const field = fieldOf(error);
      if (field !== null) form.setError(field, { message: error.message });
    },
  });
  const deny = useMutation({
    mutationFn: () => coffer().devices.deny({ id: request.id }),
    onSuccess: refresh,
  });
  const submit = form.handleSubmit((values) => approve.mutate(values));
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
      <Controller
        control={form.control}
        name="password"
        render={({ field, fieldState }) => (
          <TextInput
            label="Your password"
            type="password"
            autoComplete="current-password"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Controller
        control={form.control}
        name="secondFactorCode"
        render={({ field, fieldState }) => (
          <TextInput
            label="Authenticator or backup code"
            description="Only if your account has two-factor sign-in"
            autoComplete="one-time-code"
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
      {approve.isError && fieldOf(approve.error) === null && (
        <ErrorMessage error={approve.error} title="Not approved" />
      )}
      {deny.isError && <ErrorMessage error={deny.error} title="Not denied" />}
    </form>
  );
}

/** The field a refused approval is about, so the message shows beside what was typed. */
function fieldOf(error: unknown): Field | null {
  if (!isApiError(error)) return null;
  if (error.code === 'APPROVAL_CODE_MISMATCH') return 'code';
  if (error.code === 'AUTH_FAILED') {
    const server = serverCode(error);
    return server === 'INVALID_CODE' || server === 'SECOND_FACTOR_REQUIRED'
      ? 'secondFactorCode'
      : 'password';
  }
  const named = Object.keys(error.fieldErrors()).find((key): key is Field =>
    ['code', 'password', 'secondFactorCode'].includes(key),
  );
  return named ?? null;
}
