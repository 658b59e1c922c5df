import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type * as z from 'zod';
import { todayIso } from '../../../../shared/dates/iso-date.js';
import type { TransactionCreateInput } from '../../../../shared/domain/ledger.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { readAmount } from '../../ui/amount-field.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import {
  NO_CATEGORY,
  QuickEntrySchema,
  showFieldErrors,
  type QuickEntryValues,
} from './transaction-form.js';
import type { LedgerRefs } from './use-ledger-refs.js';

/**
 * A row above the ledger for typing a transaction without leaving the keyboard: Enter in
 * any field saves it, Escape clears it. Account and date stay for the next one.
 */
export function QuickEntryRow({
  refs,
  defaultAccountId,
}: {
  refs: LedgerRefs;
  defaultAccountId: string | undefined;
}): React.JSX.Element {
  const openAccounts = refs.accounts.filter((a) => !a.archived);
  const fallbackAccount = defaultAccountId ?? openAccounts[0]?.id ?? '';
  const form = useForm<QuickEntryValues, unknown, z.output<typeof QuickEntrySchema>>({
    resolver: zodResolver(QuickEntrySchema),
    defaultValues: {
      accountId: fallbackAccount,
      date: todayIso(),
      payee: '',
      categoryId: NO_CATEGORY,
      amount: '',
      notes: '',
    },
  });
  const create = useCofferMutation((input: TransactionCreateInput) =>
    coffer().transactions.create(input),
  );

  // Accounts arrive after the form is made; the ledger's account filter picks the account.
  const chosen = form.watch('accountId');
  useEffect(() => {
    if (chosen === '' && fallbackAccount !== '') form.setValue('accountId', fallbackAccount);
  }, [chosen, fallbackAccount, form]);
  useEffect(() => {
    if (defaultAccountId !== undefined) form.setValue('accountId', defaultAccountId);
  }, [defaultAccountId, form]);

  const clear = (): void => {
    const { accountId, date } = form.getValues();
    form.reset({ accountId, date, payee: '', categoryId: NO_CATEGORY, amount: '', notes: '' });
    create.reset();
  };

  const submit = form.handleSubmit((values) => {
    const account = refs.account(values.accountId);
    if (account === undefined) {
      form.setError('accountId', { message: 'Choose an account' });
      return;
    }
    const amount = readAmount(values.amount, account.currency);
    if ('error' in amount) {
      form.setError('amount', { message: amount.error });
      return;
    }
    const input: TransactionCreateInput = {
      accountId: account.id,
      date: values.date,
      amountMinor: amount.minor,
      notes: values.notes,
      categoryId: values.categoryId === NO_CATEGORY ? null : values.categoryId,
    };
    if (values.payee !== '') input.payeeName = values.payee;
    create.mutate(input, {
      onSuccess: () => {
        clear();
        form.setFocus('payee');
      },
      onError: (error) => {
        showFieldErrors(form, error);
      },
    });
  });

  return (
    <form
      className="card quick-entry"
      aria-labelledby="quick-entry-heading"
      data-testid="quick-entry"
      noValidate
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          clear();
        }
      }}
    >
      <h2 id="quick-entry-heading">New transaction</h2>
      <div className="quick-entry-fields">
        <Controller
          control={form.control}
          name="accountId"
          render={({ field, fieldState }) => (
            <div>
              <SelectInput
                label="Account"
                value={field.value}
                onChange={field.onChange}
                options={openAccounts.map((a) => ({
                  id: a.id,
                  label: `${a.name} (${a.currency})`,
                }))}
              />
              {fieldState.error !== undefined && (
                <p className="field-error">{fieldState.error.message}</p>
              )}
            </div>
          )}
        />
        <Controller
          control={form.control}
          name="date"
          render={({ field, fieldState }) => (
            <TextInput
              label="Date"
              description="YYYY-MM-DD"
              {...field}
              error={fieldState.error?.message}
            />
          )}
        />
        <Controller
          control={form.control}
          name="payee"
          render={({ field, fieldState }) => (
            <TextInput label="Payee" {...field} error={fieldState.error?.message} />
          )}
        />
        <Controller
          control={form.control}
          name="categoryId"
          render={({ field }) => (
            <SelectInput
              label="Category"
              value={field.value}
              onChange={field.onChange}
              options={[
                { id: NO_CATEGORY, label: 'No category' },
                ...refs.categories
                  .filter((c) => !c.archived)
                  .map((c) => ({ id: c.id, label: c.name })),
              ]}
            />
          )}
        />
        <Controller
          control={form.control}
          name="amount"
          render={({ field, fieldState }) => (
            <TextInput
              label="Amount"
              description="Negative for money out"
              {...field}
              error={fieldState.error?.message}
            />
          )}
        />
        <Controller
          control={form.control}
          name="notes"
          render={({ field, fieldState }) => (
            <TextInput label="Notes" {...field} error={fieldState.error?.message} />
          )}
        />
      </div>
      <div className="button-row">
        <Button type="submit" variant="primary" isPending={create.isPending}>
          Save
        </Button>
        <Button onPress={clear}>Clear</Button>
      </div>
      {create.isPending && <Progress label="Saving the transaction" />}
      {create.isError && !hasFieldErrors(form) && (
        <ErrorMessage error={create.error} title="The transaction was not saved" />
      )}
    </form>
  );
}

function hasFieldErrors(form: { formState: { errors: object } }): boolean {
  return Object.keys(form.formState.errors).length > 0;
}
