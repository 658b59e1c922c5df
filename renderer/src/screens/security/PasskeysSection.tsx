import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import { PasskeyNameSchema, type PasskeyView } from '../../../../shared/api/passkeys.methods.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { formatIsoDate } from '../../ui/format.js';
import { RenameDialog } from '../../ui/RenameDialog.js';
import { TextInput } from '../../ui/TextInput.js';
import { useStepUp } from '../../ui/step-up/use-step-up.js';
import { ConfirmButton } from '../invoicing/ConfirmButton.js';
import { createPasskey } from '../../api/passkey-ceremony.js';
import { SERVER_QUERY } from '../../api/query-sources.js';

const FormSchema = z.object({ name: PasskeyNameSchema });
type FormValues = z.input<typeof FormSchema>;

/** Sensitive calls go through this: when the server wants a step-up, it asks and retries. */
type StepUpGuard = <T>(call: () => Promise<T>) => Promise<T>;

const day = (instant: string): string => formatIsoDate(instant.slice(0, 10));

const PASSKEYS_KEY = ['passkeys'] as const;

/**
 * The sync account's passkeys: add one (named, made by this browser's authenticator), see
 * when each was made and last used, rename and remove them. Adding and removing need a
 * recent step-up: the shared step-up dialog asks in place and the call is retried once.
 */
export function PasskeysSection(): React.JSX.Element {
  const stepUp = useStepUp();
  const guard: StepUpGuard = (call) => stepUp.guard(call)(undefined);
  const list = useQuery({
    queryKey: PASSKEYS_KEY,
    meta: SERVER_QUERY,
    queryFn: () => coffer().passkeys.list({}),
    // The list lives on the server and changes when any device signs in with a passkey:
    // read it afresh each time the section shows.
    staleTime: 0,
    retry: false,
  });
  const notSignedIn = isApiError(list.error) && list.error.code === 'SYNC_NOT_SET_UP';

  return (
    <section className="card" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p>
        A passkey confirms it is you at sign-in instead of a code: your device or security key
        signs, and nothing secret is typed or sent.
      </p>
      {notSignedIn ? (
        <p>Passkeys belong to your sync account: sign in on the Sync screen first.</p>
      ) : (
        <>
          {list.isPending && (
            <p role="status" className="status-line">
              Loading passkeys…
            </p>
          )}
          {list.isError && <ErrorMessage error={list.error} title="Passkeys could not be listed" />}
          {list.data !== undefined && <PasskeyList passkeys={list.data.passkeys} guard={guard} />}
          <AddPasskeyForm guard={guard} />
        </>
      )}
      {stepUp.dialog}
    </section>
  );
}

function AddPasskeyForm({ guard }: { guard: StepUpGuard }): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { name: '' },
  });
  const [backupCodes, setBackupCodes] = useState<string[] | null>(null);
  const add = useCofferMutation(
    async (name: string) => {
      const { options } = await guard(() => coffer().passkeys.registerOptions({}));
      const response = await createPasskey(options);
      return guard(() => coffer().passkeys.registerVerify({ response, name }));
    },
    {
      onSuccess: (added) => {
        form.reset({ name: '' });
        setBackupCodes(added.backupCodes);
      },
      alsoRefresh: PASSKEYS_KEY,
    },
  );
  const submit = form.handleSubmit((values) => add.mutate(values.name));

  return (
    <form
      className="form"
      aria-label="Add a passkey"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h3>Add a passkey</h3>
      <Controller
        control={form.control}
        name="name"
        render={({ field, fieldState }) => (
          <TextInput
            label="Passkey name"
            description="So you can tell it apart later, e.g. “Work laptop”."
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" isPending={add.isPending}>
          {add.isPending ? 'Waiting for your passkey…' : 'Add passkey'}
        </Button>
      </div>
      {add.isError && <ErrorMessage error={add.error} title="No passkey was added" />}
      <p role="status" className="status-line">
        {add.isSuccess ? `Passkey “${add.data.passkey.name}” added.` : ''}
      </p>
      {backupCodes !== null && <BackupCodes codes={backupCodes} />}
    </form>
  );
}

/** Made with the account's first second factor, shown once: the way in without the passkey. */
function BackupCodes({ codes }: { codes: readonly string[] }): React.JSX.Element {
  return (
    <div className="card" aria-labelledby="backup-codes-heading">
      <h3 id="backup-codes-heading">Your backup codes</h3>
      <p>
        Each code signs you in once if you lose your passkey. Write them down or store them in a
        password manager now: they are not shown again.
      </p>
      <ul aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PasskeyList({
  passkeys,
  guard,
}: {
  passkeys: readonly PasskeyView[];
  guard: StepUpGuard;
}): React.JSX.Element {
  if (passkeys.length === 0) return <p>No passkeys yet.</p>;
  return (
    <table className="table" aria-label="Passkeys">
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Added</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {passkeys.map((passkey) => (
          <PasskeyRow key={passkey.id} passkey={passkey} guard={guard} />
        ))}
      </tbody>
    </table>
  );
}

function PasskeyRow({
  passkey,
  guard,
}: {
  passkey: PasskeyView;
  guard: StepUpGuard;
}): React.JSX.Element {
  const [renaming, setRenaming] = useState(false);
  const remove = useCofferMutation(
    () => guard(() => coffer().passkeys.remove({ id: passkey.id })),
    { alsoRefresh: PASSKEYS_KEY },
  );
  return (
    <tr>
      <th scope="row">{passkey.name}</th>
      <td>{day(passkey.createdAt)}</td>
      <td>{passkey.lastUsedAt === null ? 'Never' : day(passkey.lastUsedAt)}</td>
      <td>
        <div className="button-row">
          <Button aria-label={`Rename passkey ${passkey.name}`} onPress={() => setRenaming(true)}>
            Rename
          </Button>
          <ConfirmButton
            label="Remove"
            ariaLabel={`Remove passkey ${passkey.name}`}
            title={`Remove passkey ${passkey.name}?`}
            body="It will no longer sign you in. The device keeps the key until you delete it there."
            confirmLabel="Remove passkey"
            isPending={remove.isPending}
            onConfirm={() => remove.mutate(undefined)}
          />
        </div>
        {remove.isError && <ErrorMessage error={remove.error} title="Not removed" />}
        {renaming && (
          <RenameDialog
            what="passkey"
            name={passkey.name}
            rename={(name) => coffer().passkeys.rename({ id: passkey.id, name })}
            alsoRefresh={PASSKEYS_KEY}
            onClose={() => setRenaming(false)}
          />
        )}
      </td>
    </tr>
  );
}
