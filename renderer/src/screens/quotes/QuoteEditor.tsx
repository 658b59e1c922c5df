import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, FormProvider, useForm } from 'react-hook-form';
import type * as z from 'zod';
import type { QuoteInput } from '../../../../shared/domain/invoicing.schema.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { ClientPicker } from '../invoicing/ClientPicker.js';
import { LineItemsEditor } from '../invoicing/LineItemsEditor.js';
import { DepositFields } from '../invoicing/DepositFields.js';
import { depositFormField } from '../invoicing/deposit-form.js';
import { isApiError } from '../../../../shared/api/api-error.js';
import { EMPTY_QUOTE, QuoteFormSchema, toQuoteInput, type QuoteFormValues } from './quote-form.js';
import { FormTextField } from '../../ui/FormTextField.js';

/** A new quote: client, currency, dates and lines, with live totals. */
export function QuoteEditor({ onDone }: { onDone: () => void }): React.JSX.Element {
  const form = useForm<QuoteFormValues, unknown, z.output<typeof QuoteFormSchema>>({
    resolver: zodResolver(QuoteFormSchema),
    defaultValues: EMPTY_QUOTE,
  });
  const create = useCofferMutation((input: QuoteInput) => coffer().quotes.create(input), {
    onSuccess: onDone,
  });
  const submit = form.handleSubmit((values) =>
    create.mutate(toQuoteInput(values), {
      onError: (error) => {
        if (!isApiError(error)) return;
        for (const [field, message] of Object.entries(error.fieldErrors())) {
          const name = depositFormField(field);
          if (name !== null) form.setError(name, { message });
        }
      },
    }),
  );
  return (
    <FormProvider {...form}>
      <form
        className="card form form-wide"
        aria-labelledby="quote-editor-heading"
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        <h2 id="quote-editor-heading">New quote</h2>
        <div className="form-row">
          <Controller
            control={form.control}
            name="clientId"
            render={({ field, fieldState }) => (
              <ClientPicker
                value={field.value}
                error={fieldState.error?.message}
                onChange={(client) => {
                  field.onChange(client.id);
                  if (form.getValues('currency') === '' && client.defaultCurrency !== null) {
                    form.setValue('currency', client.defaultCurrency);
                  }
                }}
              />
            )}
          />
          <FormTextField name="currency" label="Currency" description="ISO code, e.g. EUR" />
          <FormTextField
            name="issueDate"
            label="Quote date"
            type="date"
            description="Empty: today"
          />
          <FormTextField name="validUntil" label="Valid until" type="date" />
        </div>
        <LineItemsEditor />
        <DepositFields />
        <FormTextField name="notes" label="Notes" />
        <div className="button-row">
          <Button type="submit" variant="primary" isPending={create.isPending}>
            Save quote
          </Button>
          <Button onPress={onDone}>Cancel</Button>
        </div>
        {create.isError && <ErrorMessage error={create.error} title="The quote was not saved" />}
      </form>
    </FormProvider>
  );
}
