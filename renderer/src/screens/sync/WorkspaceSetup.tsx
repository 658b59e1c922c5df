import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import { InviteTextSchema, WorkspaceNameSchema } from '../../../../shared/api/workspace.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { errorText } from './sync-errors.js';

const CreateSchema = z.object({ name: WorkspaceNameSchema });
const JoinSchema = z.object({ token: InviteTextSchema });

/** Whether a refusal is about the one field of a form: shown there, with the input kept. */
function isAbout(error: unknown, field: string, codes: readonly string[]): boolean {
  if (!isApiError(error)) return false;
  return codes.includes(error.code) || field in error.fieldErrors();
}

/**
 * A signed-in vault with no workspace: create one (this account its admin) or join one with
 * an invite. Either starts the background sync; the Sync screen's status then shows it.
 */
export function WorkspaceSetup(): React.JSX.Element {
  return (
    <section className="card" aria-labelledby="workspace-setup-heading">
      <h2 id="workspace-setup-heading">Workspace</h2>
      <p>
        Nothing syncs until this vault has a workspace. Create one to sync your own data, or join
        one with the invite an admin sent you.
      </p>
      <div className="workspace-setup">
        <CreateWorkspaceForm />
        <JoinWorkspaceForm />
      </div>
    </section>
  );
}

function CreateWorkspaceForm(): React.JSX.Element {
  const queryClient = useQueryClient();
  const form = useForm<z.input<typeof CreateSchema>, unknown, z.output<typeof CreateSchema>>({
    resolver: zodResolver(CreateSchema),
    defaultValues: { name: '' },
  });
  const create = useMutation({
    mutationFn: (name: string) => coffer().workspace.create({ name }),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['sync'] }),
    onError: (error) => {
      if (isAbout(error, 'name', ['INVALID_INPUT'])) {
        form.setError('name', { message: errorText(error) });
      }
    },
  });
  const submit = form.handleSubmit(({ name }) => create.mutate(name));
  return (
    <form
      className="form"
      aria-labelledby="workspace-create-heading"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="workspace-create-heading">Create a workspace</h3>
      <Controller
        control={form.control}
        name="name"
        render={({ field, fieldState }) => (
          <TextInput
            label="Workspace name"
            description="Encrypted on this device: the server never sees it"
            autoComplete="off"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Button type="submit" variant="primary" isPending={create.isPending}>
        {create.isPending ? 'Creating the workspace…' : 'Create workspace'}
      </Button>
      {create.isError && !isAbout(create.error, 'name', ['INVALID_INPUT']) && (
        <ErrorMessage error={create.error} title="The workspace was not created" />
      )}
    </form>
  );
}

const JOIN_FIELD_CODES = ['INVALID_INPUT', 'INVITE_INVALID'] as const;

function JoinWorkspaceForm(): React.JSX.Element {
  const queryClient = useQueryClient();
  const form = useForm<z.input<typeof JoinSchema>, unknown, z.output<typeof JoinSchema>>({
    resolver: zodResolver(JoinSchema),
    defaultValues: { token: '' },
  });
  const join = useMutation({
    mutationFn: (token: string) => coffer().workspace.join({ token }),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: ['sync'] }),
    onError: (error) => {
      if (isAbout(error, 'token', JOIN_FIELD_CODES)) {
        form.setError('token', { message: errorText(error) });
      }
    },
  });
  const submit = form.handleSubmit(({ token }) => join.mutate(token));
  return (
    <form
      className="form"
      aria-labelledby="workspace-join-heading"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3 id="workspace-join-heading">Join with an invite</h3>
      <Controller
        control={form.control}
        name="token"
        render={({ field, fieldState }) => (
          <TextInput
            label="Invite link or token"
            description="Single use, sent to this account's email address"
            autoComplete="off"
            spellCheck="false"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Button type="submit" isPending={join.isPending}>
        {join.isPending ? 'Joining…' : 'Join workspace'}
      </Button>
      {join.isError && !isAbout(join.error, 'token', JOIN_FIELD_CODES) && (
        <ErrorMessage error={join.error} title="Not joined" />
      )}
    </form>
  );
}
