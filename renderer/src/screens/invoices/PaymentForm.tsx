import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod';
import { todayIso } from '../../../../shared/dates/iso-date.js';
import {
  PaymentMethodSchema,
  type InvoicePaymentInput,
} from '../../../../shared/domain/invoicing.schema.js';
import type { InvoiceView } from '../../../../shared/domain/invoicing.views.js';
import { minorToDecimalString } from '../../../../shared/money/format-money.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { AmountTextSchema, readAmount } from '../../ui/amount-field.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { SelectInput } from '../../ui/SelectInput.js';
import { TextInput } from '../../ui/TextInput.js';
import { optionsOf, PAYMENT_METHOD_LABELS } from '../invoicing/status-labels.js';
import { OptionalDateText } from './invoice-form.js';

const PaymentFormSchema = z.object({
  amount: AmountTextSchema,
  date: OptionalDateText.refine((text) => text !== '', 'Enter the date it was received'),
  method: PaymentMethodSchema,
  reference: z.string().trim().max(200, 'must be at most 200 characters'),
});
type PaymentFormValues = z.input<typeof PaymentFormSchema>;

/**
 * Records money received against the invoice: the whole balance by default, or part of
 * it (a deposit, an instalment). The core refuses more than the balance due.
 */
export function PaymentForm({ invoice }: { invoice: InvoiceView }): React.JSX.Element {
  const form = useForm<PaymentFormValues, unknown, z.output<typeof PaymentFormSchema>>({
    resolver: zodResolver(PaymentFormSchema),
    defaultValues: {
      amount: minorToDecimalString(invoice.balanceDueMinor, invoice.currency),
      date: todayIso(),
      method: 'bank_transfer',
      reference: '',
    },
  });
  const pay = useCofferMutation((payment: InvoicePaymentInput) =>
    coffer().invoices.pay({ ref: invoice.id, payment }),
  );
  const submit = form.handleSubmit((values) => {
    const amount = readAmount(values.amount, invoice.currency);
    if ('error' in amount) {
      form.setError('amount', { message: amount.error });
      return;
    }
    if (amount.minor <= 0) {
      form.setError('amount', { message: 'must be greater than zero' });
      return;
    }
    pay.mutate({
      amountMinor: amount.minor,
      currency: invoice.currency,
      date: values.date,
      method: values.method,
      reference: values.reference,
    });
  });

  return (
    <form
      className="card form"
      aria-labelledby="payment-heading"
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <h2 id="payment-heading">Record a payment</h2>
      <Controller
        control={form.control}
        name="amount"
        render={({ field, fieldState }) => (
          <TextInput
            label="Amount received"
            description={`In ${invoice.currency}; part of the balance is fine`}
            inputMode="decimal"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Controller
        control={form.control}
        name="date"
        render={({ field, fieldState }) => (
          <TextInput
            label="Date received"
            type="date"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Controller
        control={form.control}
        name="method"
        render={({ field }) => (
          <SelectInput
            label="Method"
            value={field.value}
            onChange={field.onChange}
            options={optionsOf(PAYMENT_METHOD_LABELS)}
          />
        )}
      />
      <Controller
        control={form.control}
        name="reference"
        render={({ field, fieldState }) => (
          <TextInput
            label="Reference"
            description="e.g. Deposit, or the bank's reference"
            {...field}
            error={fieldState.error?.message}
          />
        )}
      />
      <Button type="submit" variant="primary" isPending={pay.isPending}>
        Record payment
      </Button>
      {pay.isError && <ErrorMessage error={pay.error} title="The payment was not recorded" />}
    </form>
  );
}
