import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { AttachmentUpload } from '../../../../shared/api/attachment-upload.js';
import { ContractSchema, type ContractInput } from '../../../../shared/domain/invoicing.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { ClientPicker } from '../invoicing/ClientPicker.js';
import { FileField } from '../invoicing/FileField.js';

const ContractFormSchema = z.object({
  clientId: z.string().min(1, 'Choose a client'),
  title: ContractSchema.shape.title,
  notes: z.string().max(10_000),
});
type ContractFormValues = z.input<typeof ContractFormSchema>;
const EMPTY: ContractFormValues = { clientId: '', title: '', notes: '' };

/** A new contract for a client, with its document if there is one yet. */
export function ContractForm({
  onCreated,
}: {
  onCreated: (contractId: string) => void;
}): React.JSX.Element {
  const form = useForm<ContractFormValues, unknown, z.output<typeof ContractFormSchema>>({
    resolver: zodResolver(ContractFormSchema),
    defaultValues: EMPTY,
  });
  const [file, setFile] = useState<AttachmentUpload | null>(null);
  const [fileKey, setFileKey] = useState(0);
  const create = useCofferMutation(
    (input: { contract: ContractInput; file?: AttachmentUpload }) =>
      coffer().contracts.create(input),
    {
      onSuccess: (contract) => {
        form.reset(EMPTY);
        setFile(null);
        setFileKey((k) => k + 1);
        onCreated(contract.id);
      },
    },
  );
  const submit = form.handleSubmit((values) =>
    create.mutate({
      contract: { client: values.clientId, title: values.title, notes: values.notes },
      ...(file === null ? {} : { file }),
    }),
  );
  return (
    <form
      className="card form"
      aria-labelledby="new-contract-heading"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id="new-contract-heading">Add a contract</h2>
      <Controller
        control={form.control}
        name="clientId"
        render={({ field, fieldState }) => (
          <ClientPicker
            value={field.value}
            error={fieldState.error?.message}
            onChange={(client) => field.onChange(client.id)}
          />
        )}
      />
      <Controller
        control={form.control}
        name="title"
        render={({ field, fieldState }) => (
          <TextInput label="Title" {...field} error={fieldState.error?.message} />
        )}
      />
      <Controller
        control={form.control}
        name="notes"
        render={({ field, fieldState }) => (
          <TextInput label="Notes" {...field} error={fieldState.error?.message} />
        )}
      />
      <FileField key={fileKey} label="Contract document" onChange={setFile} />
      <Button type="submit" variant="primary" isPending={create.isPending}>
        Add contract
      </Button>
      {create.isError && <ErrorMessage error={create.error} title="The contract was not added" />}
    </form>
  );
}
