import { zodResolver } from '@hookform/resolvers/zod';
import { Controller, FormProvider, useForm } from 'react-hook-form';
import type * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import type { InvoiceDraftInput } from '../../../../shared/domain/invoicing.schema.js';
import type { InvoiceView } from '../../../../shared/domain/invoicing.views.js';
import { coffer } from '../../api/coffer-client.js';
import { useCofferMutation } from '../../api/use-coffer-mutation.js';
import { Button } from '../../ui/Button.js';
import { ErrorMessage } from '../../ui/ErrorMessage.js';
import { ClientPicker } from '../invoicing/ClientPicker.js';
import { LineItemsEditor } from '../invoicing/LineItemsEditor.js';
import { DepositFields } from '../invoicing/DepositFields.js';
import { depositFormField } from '../invoicing/deposit-form.js';
import {
  EMPTY_INVOICE,
  InvoiceFormSchema,
  toDraftInput,
  toInvoiceForm,
  type InvoiceFormValues,
} from './invoice-form.js';
import { FormTextField } from '../../ui/FormTextField.js';

/** A draft invoice: client, currency, dates and lines, with totals that follow the typing. */
export function InvoiceEditor({
  draft,
  onSaved,
  onCancel,
}: {
  draft?: InvoiceView;
  onSaved: (invoice: InvoiceView) => void;
  onCancel: () => void;
}): React.JSX.Element {
  const form = useForm<InvoiceFormValues, unknown, z.output<typeof InvoiceFormSchema>>({
    resolver: zodResolver(InvoiceFormSchema),
    defaultValues: draft === undefined ? EMPTY_INVOICE : toInvoiceForm(draft),
  });
  const save = useCofferMutation(
    (input: InvoiceDraftInput & { client: string }) =>
      draft === undefined
        ? coffer().invoices.createDraft(input)
        : coffer().invoices.updateDraft({ ref: draft.id, patch: input }),
    { onSuccess: onSaved },
  );
  const submit = form.handleSubmit((values) => {
    save.mutate(toDraftInput(values), {
      onError: (error) => {
        if (!isApiError(error)) return;
        for (const [field, message] of Object.entries(error.fieldErrors())) {
          const name = depositFormField(field) ?? (field === 'client' ? 'clientId' : field);
          if (name in EMPTY_INVOICE || name.startsWith('lines.')) {
            form.setError(name as keyof InvoiceFormValues, { message });
          }
        }
      },
    });
  });
  const headingId = 'invoice-editor-heading';

  return (
    <FormProvider {...form}>
      <form
        className="card form form-wide"
        aria-labelledby={headingId}
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        <h2 id={headingId}>{draft === undefined ? 'New invoice' : 'Edit draft invoice'}</h2>
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
            label="Issue date"
            type="date"
            description="Empty: the day it is issued"
          />
          <FormTextField
            name="dueDate"
            label="Due date"
            type="date"
            description="Empty: 30 days after issue"
          />
        </div>
        <LineItemsEditor />
        <DepositFields />
        <FormTextField name="notes" label="Notes" />
        <div className="button-row">
          <Button type="submit" variant="primary" isPending={save.isPending}>
            Save draft
          </Button>
          <Button onPress={onCancel}>Cancel</Button>
        </div>
        {save.isError && <ErrorMessage error={save.error} title="The draft was not saved" />}
      </form>
    </FormProvider>
  );
}
