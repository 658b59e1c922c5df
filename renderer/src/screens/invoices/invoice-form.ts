import * as z from 'zod';
import { isIsoDate } from '../../../../shared/dates/iso-date.js';
import type { InvoiceDraftInput } from '../../../../shared/domain/invoicing.schema.js';
import type { InvoiceView } from '../../../../shared/domain/invoicing.views.js';
import { CurrencyCodeSchema } from '../../../../shared/money/currency.js';
import {
  EMPTY_LINE,
  LineFormSchema,
  refineLines,
  toLineForm,
  toLineInputs,
} from '../invoicing/line-items-form.js';
import {
  EMPTY_DEPOSIT,
  refineDeposit,
  toDepositForm,
  toDepositInput,
} from '../invoicing/deposit-form.js';

/** Empty, or a real `YYYY-MM-DD` date. */
export const OptionalDateText = z
  .string()
  .trim()
  .refine((text) => text === '' || isIsoDate(text), 'must be a date (YYYY-MM-DD)');

export const InvoiceFormSchema = z
  .object({
    clientId: z.string().min(1, 'Choose a client'),
    currency: z.string().trim().toUpperCase().pipe(CurrencyCodeSchema),
    issueDate: OptionalDateText,
    dueDate: OptionalDateText,
    notes: z.string().max(10_000),
    lines: z.array(LineFormSchema),
    deposit: z.string(),
    depositDueDate: z.string(),
  })
  .superRefine((form, ctx) => {
    refineLines(form.lines, form.currency, ctx);
    refineDeposit(form, form.currency, ctx);
    if (form.issueDate !== '' && form.dueDate !== '' && form.dueDate < form.issueDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueDate'],
        message: 'must not be before the issue date',
      });
    }
    if (form.dueDate !== '' && form.depositDueDate !== '' && form.depositDueDate > form.dueDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['depositDueDate'],
        message: 'must not be after the invoice’s due date',
      });
    }
  });
export type InvoiceFormValues = z.input<typeof InvoiceFormSchema>;
type InvoiceFormOutput = z.output<typeof InvoiceFormSchema>;

export const EMPTY_INVOICE: InvoiceFormValues = {
  clientId: '',
  currency: '',
  issueDate: '',
  dueDate: '',
  notes: '',
  lines: [{ ...EMPTY_LINE }],
  ...EMPTY_DEPOSIT,
};

const orNull = (text: string): string | null => (text === '' ? null : text);

export function toDraftInput(values: InvoiceFormOutput): InvoiceDraftInput & { client: string } {
  return {
    client: values.clientId,
    currency: values.currency,
    issueDate: orNull(values.issueDate),
    dueDate: orNull(values.dueDate),
    notes: values.notes,
    lines: toLineInputs(values.lines, values.currency),
    deposit: toDepositInput(values, values.currency),
  };
}

export function toInvoiceForm(invoice: InvoiceView): InvoiceFormValues {
  return {
    clientId: invoice.clientId,
    currency: invoice.currency,
    issueDate: invoice.issueDate ?? '',
    dueDate: invoice.dueDate ?? '',
    notes: invoice.notes,
    lines: toLineForm(invoice.lines, invoice.currency),
    ...toDepositForm(invoice, invoice.currency),
  };
}
