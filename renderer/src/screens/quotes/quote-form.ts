import * as z from 'zod';
import type { QuoteInput } from '../../../../shared/domain/invoicing.schema.js';
import { CurrencyCodeSchema } from '../../../../shared/money/currency.js';
import { OptionalDateText } from '../invoices/invoice-form.js';
import {
  EMPTY_LINE,
  LineFormSchema,
  refineLines,
  toLineInputs,
} from '../invoicing/line-items-form.js';
import { EMPTY_DEPOSIT, refineDeposit, toDepositInput } from '../invoicing/deposit-form.js';

export const QuoteFormSchema = z
  .object({
    clientId: z.string().min(1, 'Choose a client'),
    currency: z.string().trim().toUpperCase().pipe(CurrencyCodeSchema),
    issueDate: OptionalDateText,
    validUntil: OptionalDateText,
    notes: z.string().max(10_000),
    lines: z.array(LineFormSchema),
    deposit: z.string(),
    depositDueDate: z.string(),
  })
  .superRefine((form, ctx) => {
    refineLines(form.lines, form.currency, ctx);
    refineDeposit(form, form.currency, ctx);
    if (form.issueDate !== '' && form.validUntil !== '' && form.validUntil < form.issueDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['validUntil'],
        message: 'must not be before the issue date',
      });
    }
  });
export type QuoteFormValues = z.input<typeof QuoteFormSchema>;

export const EMPTY_QUOTE: QuoteFormValues = {
  clientId: '',
  currency: '',
  issueDate: '',
  validUntil: '',
  notes: '',
  lines: [{ ...EMPTY_LINE }],
  ...EMPTY_DEPOSIT,
};

export function toQuoteInput(values: z.output<typeof QuoteFormSchema>): QuoteInput {
  return {
    client: values.clientId,
    currency: values.currency,
    ...(values.issueDate === '' ? {} : { issueDate: values.issueDate }),
    validUntil: values.validUntil === '' ? null : values.validUntil,
    notes: values.notes,
    lines: toLineInputs(values.lines, values.currency),
    deposit: toDepositInput(values, values.currency),
  };
}
