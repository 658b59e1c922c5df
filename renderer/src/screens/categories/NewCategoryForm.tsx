import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import {
  CATEGORY_KINDS,
  NameSchema,
  type CategoryCreateInput,
} from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';

const FormSchema = z.object({ name: NameSchema, kind: z.enum(CATEGORY_KINDS) });
type FormValues = z.input<typeof FormSchema>;

export function NewCategoryForm(): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { name: '', kind: 'expense' },
  });
  const create = useCofferMutation((input: CategoryCreateInput) =>
    coffer().categories.create(input),
  );
  const submit = form.handleSubmit((values) => {
    create.mutate(values, {
      onSuccess: () => form.reset({ name: '', kind: values.kind }),
      onError: (error) => {
        if (error.message !== '') form.setError('name', { message: error.message });
      },
    });
  });
  return (
    <form
      className="card form"
      aria-labelledby="new-category-heading"
      noValidate
      onSubmit={(event) => void submit(event)}
    >
      <h2 id="new-category-heading">Add a category</h2>
      <Controller
        control={form.control}
        name="name"
        render={({ field, fieldState }) => (
          <TextInput label="Category name" {...field} error={fieldState.error?.message} />
        )}
      />
      <Controller
        control={form.control}
        name="kind"
        render={({ field }) => (
          <SelectInput
            label="Kind"
            value={field.value}
            onChange={field.onChange}
            options={[
              { id: 'expense', label: 'Expense' },
              { id: 'income', label: 'Income' },
            ]}
          />
        )}
      />
      <Button type="submit" variant="primary" isPending={create.isPending}>
        Add category
      </Button>
      {create.isError && form.formState.errors.name === undefined && (
        <ErrorMessage error={create.error} title="The category was not added" />
      )}
    </form>
  );
}
