import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import { z } from 'zod';
import { NameSchema, type AccountBalance } from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ModalDialog } from '../../ui/Dialog.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';

const FormSchema = z.object({ name: NameSchema });
type FormValues = z.input<typeof FormSchema>;

export function RenameAccountDialog({
  account,
  onClose,
}: {
  account: AccountBalance;
  onClose: () => void;
}): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { name: account.name },
  });
  const rename = useCofferMutation((name: string) =>
    coffer().accounts.update({ ref: account.accountId, patch: { name } }),
  );
  const submit = form.handleSubmit((values) => {
    rename.mutate(values.name, {
      onSuccess: onClose,
      onError: (error) => {
        const message = error instanceof Error ? error.message : undefined;
        if (message !== undefined) form.setError('name', { message });
      },
    });
  });
  return (
    <ModalDialog title={`Rename ${account.name}`} onClose={onClose}>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <Controller
          control={form.control}
          name="name"
          render={({ field, fieldState }) => (
            <TextInput label="New name" autoFocus {...field} error={fieldState.error?.message} />
          )}
        />
        <div className="button-row">
          <Button type="submit" variant="primary" isPending={rename.isPending}>
            Save name
          </Button>
          <Button onPress={onClose}>Cancel</Button>
        </div>
        {rename.isError && form.formState.errors.name === undefined && (
          <ErrorMessage error={rename.error} title="The account was not renamed" />
        )}
      </form>
    </ModalDialog>
  );
}
