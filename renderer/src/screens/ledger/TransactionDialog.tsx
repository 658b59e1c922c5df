import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useFieldArray, useForm, type UseFormReturn } from 'react-hook-form';
import type * as z from 'zod';
import type {
  Transaction,
  TransactionUpdateInput,
} from '../../../../shared/domain/ledger.schema.js';
import { minorToDecimalString } from '../../../../shared/money/format-money.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { readAmount } from '../../ui/amount-field.js';
import { Button } from '../../ui/Button.js';
import { ModalDialog } from '../../ui/Dialog.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { Progress } from '../../ui/Progress.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import { DeleteTransaction } from './DeleteTransaction.js';
import {
  EditTransactionSchema,
  NO_CATEGORY,
  showFieldErrors,
  type EditTransactionValues,
} from './transaction-form.js';
import type { LedgerRefs } from './use-ledger-refs.js';

type EditForm = UseFormReturn<
  EditTransactionValues,
  unknown,
  z.output<typeof EditTransactionSchema>
>;

/** One transaction opened for editing: its fields, its split parts, and deleting it. */
export function TransactionDialog({
  transaction,
  refs,
  onClose,
}: {
  transaction: Transaction;
  refs: LedgerRefs;
  onClose: () => void;
}): React.JSX.Element {
  return (
    <ModalDialog title="Edit transaction" onClose={onClose}>
      <EditTransactionForm transaction={transaction} refs={refs} onDone={onClose} />
    </ModalDialog>
  );
}

function EditTransactionForm({
  transaction,
  refs,
  onDone,
}: {
  transaction: Transaction;
  refs: LedgerRefs;
  onDone: () => void;
}): React.JSX.Element {
  const { currency } = transaction;
  const form: EditForm = useForm({
    resolver: zodResolver(EditTransactionSchema),
    defaultValues: {
      date: transaction.date,
      payee: transaction.payeeName ?? '',
      categoryId: transaction.categoryId ?? NO_CATEGORY,
      amount: minorToDecimalString(transaction.amountMinor, currency),
      notes: transaction.notes,
      splits: transaction.splits.map((s) => ({
        categoryId: s.categoryId,
        amount: minorToDecimalString(s.amountMinor, currency),
        memo: s.memo,
      })),
    },
  });
  const parts = useFieldArray({ control: form.control, name: 'splits' });
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const update = useCofferMutation((patch: TransactionUpdateInput) =>
    coffer().transactions.update({ id: transaction.id, patch }),
  );

  const submit = form.handleSubmit((values) => {
    const amount = readAmount(values.amount, currency);
    if ('error' in amount) {
      form.setError('amount', { message: amount.error });
      return;
    }
    const splits: { categoryId: string; amountMinor: number; memo: string }[] = [];
    for (const [i, part] of values.splits.entries()) {
      const partAmount = readAmount(part.amount, currency);
      if ('error' in partAmount) {
        form.setError(`splits.${i}.amount`, { message: partAmount.error });
        return;
      }
      splits.push({ categoryId: part.categoryId, amountMinor: partAmount.minor, memo: part.memo });
    }
    const patch: TransactionUpdateInput = {
      date: values.date,
      amountMinor: amount.minor,
      notes: values.notes,
      splits,
      categoryId: splits.length > 0 || values.categoryId === NO_CATEGORY ? null : values.categoryId,
    };
    if (values.payee === '') patch.payeeId = null;
    else patch.payeeName = values.payee;
    form.clearErrors('splits');
    update.mutate(patch, {
      onSuccess: onDone,
      onError: (error) => {
        showFieldErrors(form, error);
      },
    });
  });

  const categoryOptions = refs.categories
    .filter((c) => !c.archived || c.id === transaction.categoryId)
    .map((c) => ({ id: c.id, label: c.name }));
  const splitsError =
    form.formState.errors.splits?.message ?? form.formState.errors.splits?.root?.message;
  const isSplit = parts.fields.length > 0;

  return (
    <form className="form edit-transaction" noValidate onSubmit={(event) => void submit(event)}>
      <p className="muted">
        {refs.account(transaction.accountId)?.name ?? 'Account'} · {currency}
      </p>
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
      {!isSplit && (
        <Controller
          control={form.control}
          name="categoryId"
          render={({ field }) => (
            <SelectInput
              label="Category"
              value={field.value}
              onChange={field.onChange}
              options={[{ id: NO_CATEGORY, label: 'No category' }, ...categoryOptions]}
            />
          )}
        />
      )}
      <fieldset className="split-editor" aria-describedby="split-error">
        <legend>Split</legend>
        {parts.fields.map((part, i) => (
          <div key={part.id} className="split-part" data-testid="split-part">
            <Controller
              control={form.control}
              name={`splits.${i}.categoryId`}
              render={({ field, fieldState }) => (
                <div>
                  <SelectInput
                    label={`Part ${i + 1} category`}
                    value={field.value}
                    onChange={field.onChange}
                    options={categoryOptions}
                  />
                  {fieldState.error !== undefined && (
                    <p className="field-error">{fieldState.error.message}</p>
                  )}
                </div>
              )}
            />
            <Controller
              control={form.control}
              name={`splits.${i}.amount`}
              render={({ field, fieldState }) => (
                <TextInput
                  label={`Part ${i + 1} amount`}
                  {...field}
                  error={fieldState.error?.message}
                />
              )}
            />
            <Controller
              control={form.control}
              name={`splits.${i}.memo`}
              render={({ field, fieldState }) => (
                <TextInput
                  label={`Part ${i + 1} memo`}
                  {...field}
                  error={fieldState.error?.message}
                />
              )}
            />
            <Button onPress={() => parts.remove(i)} aria-label={`Remove part ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <Button
          onPress={() =>
            parts.append({ categoryId: categoryOptions[0]?.id ?? '', amount: '', memo: '' })
          }
        >
          Add split part
        </Button>
        <p id="split-error" className="field-error" role={splitsError ? 'alert' : undefined}>
          {splitsError ?? ''}
        </p>
      </fieldset>
      <Controller
        control={form.control}
        name="notes"
        render={({ field, fieldState }) => (
          <TextInput label="Notes" {...field} error={fieldState.error?.message} />
        )}
      />
      <div className="button-row">
        <Button type="submit" variant="primary" isPending={update.isPending}>
          Save changes
        </Button>
        <Button onPress={onDone}>Cancel</Button>
        {!confirmingDelete && (
          <Button variant="danger" onPress={() => setConfirmingDelete(true)}>
            Delete…
          </Button>
        )}
      </div>
      {update.isPending && <Progress label="Saving the transaction" />}
      {update.isError &&
        splitsError === undefined &&
        Object.keys(form.formState.errors).length === 0 && (
          <ErrorMessage error={update.error} title="The transaction was not saved" />
        )}
      {confirmingDelete && (
        <DeleteTransaction
          transactionId={transaction.id}
          onDeleted={onDone}
          onKeep={() => setConfirmingDelete(false)}
        />
      )}
    </form>
  );
}
