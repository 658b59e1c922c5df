import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import { MemberEmailSchema, RoleSchema } from '../../../../shared/api/workspace.methods.js';
import { WORKSPACE_ROLES } from '../../../../shared/sync/workspace-roles.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import { useCopyText } from '../../ui/save-download.js';
import { formatServerTime } from './workspace-queries.js';

const FormSchema = z.object({ email: MemberEmailSchema, role: RoleSchema });
type FormValues = z.input<typeof FormSchema>;
const ROLE_OPTIONS = WORKSPACE_ROLES.map((role) => ({ id: role, label: role }));

/** An invite for an address and role: the single-use link to send, shown here once. */
export function InviteForm(): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { email: '', role: 'member' },
  });
  const invite = useMutation({
    mutationFn: (values: z.output<typeof FormSchema>) => coffer().workspace.invite(values),
    onError: (error) => {
      if (isApiError(error) && 'email' in error.fieldErrors()) {
        form.setError('email', { message: error.message });
      }
    },
  });
  const submit = form.handleSubmit((values) => invite.mutate(values));
  return (
    <form
      className="form"
      aria-label="Invite a member"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <Controller
        control={form.control}
        name="email"
        render={({ field, fieldState }) => (
          <TextInput
            label="Email"
            type="email"
            autoComplete="off"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Controller
        control={form.control}
        name="role"
        render={({ field }) => (
          <SelectInput
            label="Role"
            value={field.value}
            onChange={field.onChange}
            options={ROLE_OPTIONS}
          />
        )}
      />
      <Button type="submit" variant="primary" isPending={invite.isPending}>
        {invite.isPending ? 'Making the invite…' : 'Invite'}
      </Button>
      {invite.isError && <ErrorMessage error={invite.error} title="No invite made" />}
      {invite.data !== undefined && (
        <InviteMade
          email={invite.variables.email}
          link={invite.data.link}
          token={invite.data.token}
          expiresAt={invite.data.expiresAt}
        />
      )}
    </form>
  );
}

function InviteMade(props: {
  email: string;
  link: string;
  token: string;
  expiresAt: string;
}): React.JSX.Element {
  const { copied, copy } = useCopyText(props.link);
  return (
    <section className="card" aria-label="Invite to send">
      <p>
        Send this link to {props.email}. It works once, only for that address, until{' '}
        {formatServerTime(props.expiresAt)}. It is shown only now.
      </p>
      <p>
        <code aria-label="Invite link" className="break-all">
          {props.link}
        </code>
      </p>
      <p>
        Token alone: <code aria-label="Invite token">{props.token}</code>
      </p>
      <div className="button-row">
        <Button onPress={copy}>Copy link</Button>
        <p role="status" className="status-line">
          {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'Could not copy: select it.' : ''}
        </p>
      </div>
    </section>
  );
}
