import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import {
  ACCOUNT_KINDS,
  NameSchema,
  type AccountCreateInput,
} from '../../../../shared/domain/ledger.schema.js';
import { CurrencyCodeSchema } from '../../../../shared/money/currency.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { readAmount } from '../../ui/amount-field.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';

const KIND_LABELS: Record<(typeof ACCOUNT_KINDS)[number], string> = {
  checking: 'Checking',
  savings: 'Savings',
  credit_card: 'Credit card',
  cash: 'Cash',
  investment: 'Investment',
  other: 'Other',
};

const FormSchema = z.object({
  name: NameSchema,
  currency: z.string().trim().toUpperCase().pipe(CurrencyCodeSchema),
  kind: z.enum(ACCOUNT_KINDS),
  openingBalance: z.string(),
});
type FormValues = z.input<typeof FormSchema>;

export function NewAccountForm(): React.JSX.Element {
  const form = useForm<FormValues, unknown, z.output<typeof FormSchema>>({
    resolver: zodResolver(FormSchema),
    defaultValues: { name: '', currency: 'EUR', kind: 'checking', openingBalance: '0' },
  });
  const create = useCofferMutation((input: AccountCreateInput) => coffer().accounts.create(input));

  const submit = form.handleSubmit((values) => {
    const opening = readAmount(values.openingBalance, values.currency);
    if ('error' in opening) {
      form.setError('openingBalance', { message: opening.error });
      return;
    }
    create.mutate(
      {
        name: values.name,
        currency: values.currency,
        kind: values.kind,
        openingBalanceMinor: opening.minor,
      },
      { onSuccess: () => form.reset() },
    );
  });

  return (
    <form
      className="card form"
      aria-labelledby="new-account-heading"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id="new-account-heading">Add an account</h2>
      <Controller
        control={form.control}
        name="name"
        render={({ field, fieldState }) => (
          <TextInput label="Name" {...field} error={fieldState.error?.message} />
        )}
      />
      <Controller
        control={form.control}
        name="currency"
        render={({ field, fieldState }) => (
          <TextInput
            label="Currency"
            description="ISO code, e.g. EUR, USD"
            {...field}
            error={fieldState.error?.message}
          />
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
            options={Object.entries(KIND_LABELS).map(([id, label]) => ({ id, label }))}
          />
        )}
      />
      <Controller
        control={form.control}
        name="openingBalance"
        render={({ field, fieldState }) => (
          <TextInput label="Opening balance" {...field} error={fieldState.error?.message} />
        )}
      />
      <Button type="submit" variant="primary" isPending={create.isPending}>
        Add account
      </Button>
      {create.isError && <ErrorMessage error={create.error} title="The account was not added" />}
    </form>
  );
}
