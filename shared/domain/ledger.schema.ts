/**
 * Ledger domain: accounts, categories, payees, transactions (with splits) and monthly
 * budgets. Entity schemas describe what the engine returns; input schemas describe what
 * callers (CLI, renderer over IPC, importer) may send. Inputs are strict so a misspelt
 * field is an error rather than silently ignored.
 *
 * References in inputs (`accountId`, `categoryId`) accept an id or a name: the CLI and
 * the importer know accounts by name, and the service resolves either (case-insensitive).
 */
import * as z from 'zod';
import { CofferError } from '../errors/coffer-error.js';
import { UUID_PATTERN } from '../ids/uuidv7.js';
import { CurrencyCodeSchema } from '../money/currency.js';
import { MinorUnitsSchema, sumMinor } from '../money/money.js';
import { minorToDecimalString } from '../money/format-money.js';
import { IsoDateSchema, IsoMonthSchema } from '../dates/iso-date.js';

// ---------------------------------------------------------------- building blocks

export const IdSchema = z.string().regex(UUID_PATTERN, 'must be an id');

/** An id or a name; resolved by the service. */
export const RefSchema = z.string().trim().min(1, 'must not be empty').max(200);

/** Control characters in names break tables, CSV and terminal output. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const NameSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

export const NotesSchema = z.string().max(10_000, 'must be at most 10000 characters');
export const MemoSchema = z.string().max(1_000, 'must be at most 1000 characters');

/** Bank transaction id (OFX FITID is at most 255) or a content hash. */
export const ImportIdSchema = z.string().trim().min(1).max(255);

const TimestampSchema = z.number().int().nonnegative();

// ---------------------------------------------------------------- accounts

export const ACCOUNT_KINDS = [
  'checking',
  'savings',
  'credit_card',
  'cash',
  'investment',
  'other',
] as const;
export const AccountKindSchema = z.enum(ACCOUNT_KINDS);
export type AccountKind = z.infer<typeof AccountKindSchema>;

export const AccountSchema = z.object({
  id: IdSchema,
  name: NameSchema,
  currency: CurrencyCodeSchema,
  kind: AccountKindSchema,
  openingBalanceMinor: MinorUnitsSchema,
  archived: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Account = z.infer<typeof AccountSchema>;

export const AccountCreateInputSchema = z.strictObject({
  name: NameSchema,
  currency: CurrencyCodeSchema,
  kind: AccountKindSchema.default('checking'),
  openingBalanceMinor: MinorUnitsSchema.default(0),
});
export type AccountCreateInput = z.input<typeof AccountCreateInputSchema>;

export const AccountUpdateInputSchema = z.strictObject({
  name: NameSchema.optional(),
  /** Only allowed while the account holds no transaction in another currency. */
  currency: CurrencyCodeSchema.optional(),
  kind: AccountKindSchema.optional(),
  openingBalanceMinor: MinorUnitsSchema.optional(),
  archived: z.boolean().optional(),
});
export type AccountUpdateInput = z.input<typeof AccountUpdateInputSchema>;

// ---------------------------------------------------------------- categories

export const CATEGORY_KINDS = ['expense', 'income'] as const;
export const CategoryKindSchema = z.enum(CATEGORY_KINDS);
export type CategoryKind = z.infer<typeof CategoryKindSchema>;

export const CategorySchema = z.object({
  id: IdSchema,
  name: NameSchema,
  kind: CategoryKindSchema,
  parentId: IdSchema.nullable(),
  archived: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Category = z.infer<typeof CategorySchema>;

export const CategoryCreateInputSchema = z.strictObject({
  name: NameSchema,
  kind: CategoryKindSchema.default('expense'),
  /** Parent category, by id or name. */
  parentId: RefSchema.nullable().default(null),
});
export type CategoryCreateInput = z.input<typeof CategoryCreateInputSchema>;

export const CategoryUpdateInputSchema = z.strictObject({
  name: NameSchema.optional(),
  kind: CategoryKindSchema.optional(),
  parentId: RefSchema.nullable().optional(),
  archived: z.boolean().optional(),
});
export type CategoryUpdateInput = z.input<typeof CategoryUpdateInputSchema>;

// ---------------------------------------------------------------- payees

export const PayeeSchema = z.object({
  id: IdSchema,
  name: NameSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Payee = z.infer<typeof PayeeSchema>;

export const PayeeCreateInputSchema = z.strictObject({ name: NameSchema });
export type PayeeCreateInput = z.input<typeof PayeeCreateInputSchema>;

export const PayeeUpdateInputSchema = z.strictObject({ name: NameSchema });
export type PayeeUpdateInput = z.input<typeof PayeeUpdateInputSchema>;

// ---------------------------------------------------------------- transactions

export const MAX_SPLITS = 1_000;

export const TransactionSplitSchema = z.object({
  categoryId: IdSchema,
  amountMinor: MinorUnitsSchema,
  memo: MemoSchema,
});
export type TransactionSplit = z.infer<typeof TransactionSplitSchema>;

export const TransactionSchema = z.object({
  id: IdSchema,
  accountId: IdSchema,
  date: IsoDateSchema,
  /** Signed: negative is money leaving the account. */
  amountMinor: MinorUnitsSchema,
  currency: CurrencyCodeSchema,
  payeeId: IdSchema.nullable(),
  /** The payee's current name, joined at read time for display; not stored on the transaction. */
  payeeName: z.string().nullable(),
  categoryId: IdSchema.nullable(),
  notes: NotesSchema,
  importId: ImportIdSchema.nullable(),
  importBatch: z.string().nullable(),
  /** Content key of an imported row (account, date, amount, description, position). */
  importKey: ImportIdSchema.nullable(),
  /** Empty when not split; otherwise categoryId is null and the amounts sum to amountMinor. */
  splits: z.array(TransactionSplitSchema),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Transaction = z.infer<typeof TransactionSchema>;

export const TransactionSplitInputSchema = z.strictObject({
  /** Category id or name. */
  categoryId: RefSchema,
  amountMinor: MinorUnitsSchema,
  memo: MemoSchema.default(''),
});
export type TransactionSplitInput = z.input<typeof TransactionSplitInputSchema>;

const SplitsInputSchema = z
  .array(TransactionSplitInputSchema)
  .max(MAX_SPLITS, `must have at most ${MAX_SPLITS} splits`);

export const TransactionCreateInputSchema = z
  .strictObject({
    /** Account id or name. */
    accountId: RefSchema,
    date: IsoDateSchema,
    amountMinor: MinorUnitsSchema,
    /** Defaults to the account's currency; anything else is CURRENCY_MISMATCH. */
    currency: CurrencyCodeSchema.optional(),
    /** An existing payee's id. */
    payeeId: IdSchema.nullable().optional(),
    /** A payee by name: found case-insensitively, or created. */
    payeeName: NameSchema.optional(),
    /** Category id or name. Must be absent or null when the transaction is split. */
    categoryId: RefSchema.nullable().optional(),
    notes: NotesSchema.default(''),
    /** Bank id or content hash; unique per account, which makes imports idempotent. */
    importId: ImportIdSchema.nullable().optional(),
    /**
     * An imported row's content key, kept beside a bank id so a later import of the same
     * row matches it either way. A row whose (account, importKey) the vault holds is skipped.
     */
    importKey: ImportIdSchema.nullable().optional(),
    splits: SplitsInputSchema.default([]),
  })
  .superRefine((input, ctx) => {
    if (input.splits.length > 0 && input.categoryId != null) {
      ctx.addIssue({
        code: 'custom',
        path: ['categoryId'],
        message: 'must be empty when the transaction is split',
      });
    }
    if (input.payeeId != null && input.payeeName !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['payeeName'],
        message: 'give payeeId or payeeName, not both',
      });
    }
  });
export type TransactionCreateInput = z.input<typeof TransactionCreateInputSchema>;
export type TransactionCreateData = z.output<typeof TransactionCreateInputSchema>;

/**
 * Partial update. Setting a category replaces any splits; setting splits clears the
 * category. Invariants (currency, split sums) are checked on the merged result.
 */
export const TransactionUpdateInputSchema = z
  .strictObject({
    accountId: RefSchema.optional(),
    date: IsoDateSchema.optional(),
    amountMinor: MinorUnitsSchema.optional(),
    currency: CurrencyCodeSchema.optional(),
    payeeId: IdSchema.nullable().optional(),
    payeeName: NameSchema.optional(),
    categoryId: RefSchema.nullable().optional(),
    notes: NotesSchema.optional(),
    splits: SplitsInputSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.splits !== undefined && input.splits.length > 0 && input.categoryId != null) {
      ctx.addIssue({
        code: 'custom',
        path: ['categoryId'],
        message: 'must be empty when the transaction is split',
      });
    }
    if (input.payeeId != null && input.payeeName !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['payeeName'],
        message: 'give payeeId or payeeName, not both',
      });
    }
  });
export type TransactionUpdateInput = z.input<typeof TransactionUpdateInputSchema>;
export type TransactionUpdateData = z.output<typeof TransactionUpdateInputSchema>;

export const MAX_LIST_LIMIT = 10_000;

export const TransactionListFilterSchema = z.strictObject({
  /** Account id or name. */
  accountId: RefSchema.optional(),
  month: IsoMonthSchema.optional(),
  /** Category id or name; matches the transaction's category and its splits. */
  categoryId: RefSchema.optional(),
  /** Inclusive date bounds, combinable with month. */
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  /**
   * Text the payee's name, the notes or a split's memo contains (case-insensitive for
   * ASCII letters). Taken literally: `%` and `_` are not wildcards.
   */
  search: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).default(100),
  offset: z.number().int().min(0).default(0),
});
export type TransactionListFilter = z.input<typeof TransactionListFilterSchema>;

/**
 * A split transaction's parts must add up to its amount exactly, to the minor unit.
 * Throws SPLITS_DO_NOT_SUM (or AMOUNT_OUT_OF_RANGE if the parts overflow).
 */
export function assertSplitsSum(
  amountMinor: number,
  splits: readonly { amountMinor: number }[],
  currency?: string,
): void {
  if (splits.length === 0) return;
  const total = sumMinor(splits.map((s) => s.amountMinor));
  if (total === amountMinor) return;
  const show = (v: number): string =>
    currency === undefined
      ? `${v} minor units`
      : `${minorToDecimalString(v, currency)} ${currency}`;
  throw new CofferError(
    'SPLITS_DO_NOT_SUM',
    `Splits add up to ${show(total)} but the transaction amount is ${show(amountMinor)}`,
    { splitsTotalMinor: total, amountMinor },
  );
}

// ---------------------------------------------------------------- budgets

export const BudgetSchema = z.object({
  id: IdSchema,
  month: IsoMonthSchema,
  categoryId: IdSchema,
  amountMinor: MinorUnitsSchema,
  currency: CurrencyCodeSchema,
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type Budget = z.infer<typeof BudgetSchema>;

export const BudgetSetInputSchema = z.strictObject({
  month: IsoMonthSchema,
  /** Category id or name. */
  categoryId: RefSchema,
  amountMinor: MinorUnitsSchema.refine((v) => v >= 0, 'must not be negative'),
  currency: CurrencyCodeSchema,
});
export type BudgetSetInput = z.input<typeof BudgetSetInputSchema>;

/**
 * One category's month in one currency. `actualMinor` is sign-normalised: spending is
 * positive for expense categories, income is positive for income categories.
 */
export interface BudgetReportRow {
  categoryId: string;
  categoryName: string;
  kind: CategoryKind;
  parentId: string | null;
  currency: string;
  budgetedMinor: number;
  actualMinor: number;
  remainingMinor: number;
}

export interface BudgetReportTotal {
  currency: string;
  kind: CategoryKind;
  budgetedMinor: number;
  actualMinor: number;
  remainingMinor: number;
}

/** Activity with no category (and not split), signed as stored. */
export interface UncategorizedActivity {
  currency: string;
  netMinor: number;
  count: number;
}

export interface BudgetReport {
  month: string;
  rows: BudgetReportRow[];
  totals: BudgetReportTotal[];
  uncategorized: UncategorizedActivity[];
}

export interface AccountBalance {
  accountId: string;
  name: string;
  currency: string;
  archived: boolean;
  /** opening balance + every live transaction up to and including `asOf` (or all). */
  balanceMinor: number;
  asOf: string | null;
}
