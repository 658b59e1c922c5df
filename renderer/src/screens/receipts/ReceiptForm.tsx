import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import type { AttachmentUpload } from '../../../../shared/api/attachment-upload.js';
import { isIsoDate, todayIso } from '../../../../shared/dates/iso-date.js';
import type { ReceiptInput } from '../../../../shared/domain/invoicing.schema.js';
import { CurrencyCodeSchema } from '../../../../shared/money/currency.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { readAmount } from '../../ui/amount-field.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { TextInput } from '../../ui/TextInput.js';
import { FileField } from '../invoicing/FileField.js';

const ReceiptFormSchema = z
  .object({
    date: z.string().trim().refine(isIsoDate, 'Enter the date on the receipt'),
    merchant: z.string().trim().max(200, 'must be at most 200 characters'),
    amount: z.string().trim(),
    currency: z.union([z.literal(''), z.string().trim().toUpperCase().pipe(CurrencyCodeSchema)]),
    notes: z.string().max(10_000),
  })
  .superRefine((form, ctx) => {
    if ((form.amount === '') !== (form.currency === '')) {
      ctx.addIssue({
        code: 'custom',
        path: [form.amount === '' ? 'amount' : 'currency'],
        message: 'Give the amount and its currency together, or neither',
      });
    }
  });
type ReceiptFormValues = z.input<typeof ReceiptFormSchema>;

const EMPTY: ReceiptFormValues = {
  date: todayIso(),
  merchant: '',
  amount: '',
  currency: '',
  notes: '',
};

/** A new receipt: what it says, and the photo or PDF of it. */
export function ReceiptForm({
  onCreated,
}: {
  onCreated: (receiptId: string) => void;
}): React.JSX.Element {
  const form = useForm<ReceiptFormValues, unknown, z.output<typeof ReceiptFormSchema>>({
    resolver: zodResolver(ReceiptFormSchema),
    defaultValues: EMPTY,
  });
  const [file, setFile] = useState<AttachmentUpload | null>(null);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [fileKey, setFileKey] = useState(0);
  const create = useCofferMutation(
    (input: { receipt: ReceiptInput; file: AttachmentUpload }) => coffer().receipts.create(input),
    {
      onSuccess: (receipt) => {
        form.reset(EMPTY);
        setFile(null);
        setFileKey((k) => k + 1);
        onCreated(receipt.id);
      },
    },
  );
  const submit = form.handleSubmit((values) => {
    if (file === null) {
      setFileError('Choose the receipt image or PDF');
      return;
    }
    let amountMinor: number | null = null;
    if (values.amount !== '' && values.currency !== '') {
      const amount = readAmount(values.amount, values.currency);
      if ('error' in amount) {
        form.setError('amount', { message: amount.error });
        return;
      }
      if (amount.minor < 0) {
        form.setError('amount', { message: 'must not be negative' });
        return;
      }
      amountMinor = amount.minor;
    }
    create.mutate({
      receipt: {
        date: values.date,
        merchant: values.merchant,
        amountMinor,
        currency: values.currency === '' ? null : values.currency,
        notes: values.notes,
      },
      file,
    });
  });
  const text = (
    name: keyof ReceiptFormValues,
    label: string,
    extra: { type?: string; description?: string } = {},
  ): React.JSX.Element => (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <TextInput label={label} {...extra} {...field} error={fieldState.error?.message} />
      )}
    />
  );
  return (
    <form
      className="card form"
      aria-labelledby="new-receipt-heading"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id="new-receipt-heading">Add a receipt</h2>
      {text('date', 'Date', { type: 'date' })}
      {text('merchant', 'Merchant')}
      {text('amount', 'Amount')}
      {text('currency', 'Currency', { description: 'ISO code, e.g. EUR' })}
      {text('notes', 'Notes')}
      <FileField
        key={fileKey}
        label="Receipt file"
        error={fileError}
        onChange={(upload) => {
          setFile(upload);
          setFileError(undefined);
        }}
      />
      <Button type="submit" variant="primary" isPending={create.isPending}>
        Add receipt
      </Button>
      {create.isError && <ErrorMessage error={create.error} title="The receipt was not added" />}
    </form>
  );
}
