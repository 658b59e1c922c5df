import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import type * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import type { Client, ClientInput } from '../../../../shared/domain/invoicing.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import {
  ClientFormSchema,
  EMPTY_CLIENT,
  toClientForm,
  toClientInput,
  type ClientFormValues,
} from './client-form.js';

const FIELDS: { name: keyof ClientFormValues; label: string; description?: string }[] = [
  { name: 'name', label: 'Name' },
  { name: 'email', label: 'Email' },
  { name: 'phone', label: 'Phone' },
  { name: 'address', label: 'Address' },
  { name: 'taxId', label: 'Tax id' },
  { name: 'defaultCurrency', label: 'Default currency', description: 'ISO code, e.g. EUR' },
  { name: 'notes', label: 'Notes' },
];

/** Adds a client, or edits `client` when given. */
export function ClientForm({
  client,
  onDone,
}: {
  client?: Client;
  onDone?: () => void;
}): React.JSX.Element {
  const form = useForm<ClientFormValues, unknown, z.output<typeof ClientFormSchema>>({
    resolver: zodResolver(ClientFormSchema),
    defaultValues: client === undefined ? EMPTY_CLIENT : toClientForm(client),
  });
  const save = useCofferMutation((input: ClientInput) =>
    client === undefined
      ? coffer().clients.create(input)
      : coffer().clients.update({ ref: client.id, patch: input }),
  );

  const submit = form.handleSubmit((values) => {
    save.mutate(toClientInput(values), {
      onSuccess: () => {
        form.reset(client === undefined ? EMPTY_CLIENT : undefined);
        onDone?.();
      },
      onError: (error) => {
        if (!isApiError(error)) return;
        for (const [field, message] of Object.entries(error.fieldErrors())) {
          if (field in EMPTY_CLIENT) form.setError(field as keyof ClientFormValues, { message });
        }
      },
    });
  });

  const headingId = client === undefined ? 'new-client-heading' : 'edit-client-heading';
  return (
    <form
      className="card form"
      aria-labelledby={headingId}
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id={headingId}>{client === undefined ? 'Add a client' : `Edit ${client.name}`}</h2>
      {FIELDS.map(({ name, label, description }) => (
        <Controller
          key={name}
          control={form.control}
          name={name}
          render={({ field, fieldState }) => (
            <TextInput
              label={label}
              {...(description === undefined ? {} : { description })}
              {...field}
              error={fieldState.error?.message}
            />
          )}
        />
      ))}
      <div className="button-row">
        <Button type="submit" variant="primary" isPending={save.isPending}>
          {client === undefined ? 'Add client' : 'Save client'}
        </Button>
        {onDone !== undefined && <Button onPress={onDone}>Cancel</Button>}
      </div>
      {save.isError && <ErrorMessage error={save.error} title="The client was not saved" />}
    </form>
  );
}
