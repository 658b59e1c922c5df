import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { NameSchema } from '../../../shared/domain/ledger.schema.js';
import { useCofferMutation } from '../api/use-coffer-mutation.js';
import { Button } from './Button.js';
import { ModalDialog } from './Dialog.js';
import { TextInput } from './TextInput.js';

const FormSchema = z.object({ name: NameSchema });
type FormValues = z.input<typeof FormSchema>;

/** Renames one record: the shared name rules at the field, the core's refusal there too. */
export function RenameDialog({
  what,
  name,
  rename,
  alsoRefresh,
  onClose,
}: {
  /** What is renamed, for the title: "Rename account Savings". */
  what: string;
  name: string;
  rename: (name: string) => Promise<unknown>;
  /** The server query that lists what is renamed, when it comes from the server. */
  alsoRefresh?: readonly unknown[];
  onClose: () => void;
}): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { name },
  });
  const mutation = useCofferMutation(rename, alsoRefresh === undefined ? {} : { alsoRefresh });
  const submit = form.handleSubmit((values) => {
    mutation.mutate(values.name, {
      onSuccess: onClose,
      onError: (error) => form.setError('name', { message: error.message }),
    });
  });
  return (
    <ModalDialog title={`Rename ${what} ${name}`} onClose={onClose}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Controller
          control={form.control}
          name="name"
          render={({ field, fieldState }) => (
            <TextInput label="New name" autoFocus {...field} error={fieldState.error?.message} />
          )}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" isPending={mutation.isPending}>
            Save name
          </Button>
          <Button onPress={onClose}>Cancel</Button>
        </div>
      </form>
    </ModalDialog>
  );
}
