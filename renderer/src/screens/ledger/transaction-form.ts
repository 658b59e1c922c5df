import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import * as z from 'zod';
import { isApiError } from '../../../../shared/api/api-error.js';
import { IsoDateSchema } from '../../../../shared/dates/iso-date.js';
import { MemoSchema, NotesSchema } from '../../../../shared/domain/ledger.schema.js';
import { AmountTextSchema } from '../../ui/amount-field.js';

/** A payee typed by a person: blank for none, otherwise a name as the shared schema says. */
const PayeeTextSchema = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** "No category": Select needs a key for it, and no id looks like this. */
export const NO_CATEGORY = 'none';

export const QuickEntrySchema = z.object({
  accountId: z.string().min(1, 'Choose an account'),
  date: IsoDateSchema,
  payee: PayeeTextSchema,
  categoryId: z.string(),
  amount: AmountTextSchema,
  notes: NotesSchema,
});
export type QuickEntryValues = z.input<typeof QuickEntrySchema>;

export const SplitPartSchema = z.object({
  categoryId: z.string().refine((v) => v !== NO_CATEGORY && v !== '', 'Choose a category'),
  amount: AmountTextSchema,
  memo: MemoSchema,
});

export const EditTransactionSchema = z.object({
  date: IsoDateSchema,
  payee: PayeeTextSchema,
  categoryId: z.string(),
  amount: AmountTextSchema,
  notes: NotesSchema,
  splits: z.array(SplitPartSchema),
});
export type EditTransactionValues = z.input<typeof EditTransactionSchema>;

/** The core's names for a transaction's fields, and the form's. */
const FIELD_OF_INPUT: Record<string, string> = {
  accountId: 'accountId',
  date: 'date',
  payeeName: 'payee',
  categoryId: 'categoryId',
  amountMinor: 'amount',
  notes: 'notes',
  splits: 'splits',
};

/**
 * Puts a refusal from the core on the fields it names (`patch.amountMinor` → amount,
 * `splits.1.amountMinor` → splits.1.amount); SPLITS_DO_NOT_SUM goes to the splits.
 * Returns whether any field took it: if none did, the form shows it as a whole.
 */
export function showFieldErrors<T extends FieldValues>(
  form: UseFormReturn<T, unknown, unknown>,
  error: unknown,
): boolean {
  if (!isApiError(error)) return false;
  if (error.code === 'SPLITS_DO_NOT_SUM') {
    form.setError('splits' as Path<T>, { type: 'server', message: error.message });
    return true;
  }
  let shown = false;
  for (const [key, message] of Object.entries(error.fieldErrors())) {
    const path = key.split('.').filter((part) => part !== 'patch');
    const head = FIELD_OF_INPUT[path[0] ?? ''];
    if (head === undefined) continue;
    const rest = path.slice(1).map((part) => FIELD_OF_INPUT[part] ?? part);
    form.setError([head, ...rest].join('.') as Path<T>, { type: 'server', message });
    shown = true;
  }
  return shown;
}
