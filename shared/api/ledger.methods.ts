/** Accounts, balances, categories, transactions, budgets and the review queue. */
import * as z from 'zod';
import {
  AccountCreateInputSchema,
  AccountUpdateInputSchema,
  BudgetSetInputSchema,
  CategoryCreateInputSchema,
  CategoryKindSchema,
  CategoryUpdateInputSchema,
  IdSchema,
  RefSchema,
  TransactionCreateInputSchema,
  TransactionListFilterSchema,
  TransactionUpdateInputSchema,
  type Account,
  type AccountBalance,
  type Budget,
  type BudgetReport,
  type Category,
  type Transaction,
} from '../domain/ledger.schema.js';
import { ReviewActionSchema, type TransactionReview } from '../domain/import.schema.js';
import { IsoDateSchema, IsoMonthSchema } from '../dates/iso-date.js';
import { CurrencyCodeSchema } from '../money/currency.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';

const RefInput = z.strictObject({ ref: RefSchema });
const IdInput = z.strictObject({ id: IdSchema });

/** One page of a long list and how many rows match in all. */
export interface Page<T> {
  items: T[];
  total: number;
}

export const ACCOUNT_METHODS = {
  list: apiMethod<Account[]>()(z.strictObject({ includeArchived: z.boolean().optional() })),
  get: apiMethod<Account>()(RefInput),
  create: apiMethod<Account>()(AccountCreateInputSchema),
  update: apiMethod<Account>()(z.strictObject({ ref: RefSchema, patch: AccountUpdateInputSchema })),
  archive: apiMethod<Account>()(RefInput),
  unarchive: apiMethod<Account>()(RefInput),
  delete: apiMethod<null>()(RefInput),
} as const;

export const BALANCE_METHODS = {
  list: apiMethod<AccountBalance[]>()(
    z.strictObject({ asOf: IsoDateSchema.optional(), includeArchived: z.boolean().optional() }),
  ),
} as const;

export const CATEGORY_METHODS = {
  list: apiMethod<Category[]>()(
    z.strictObject({
      includeArchived: z.boolean().optional(),
      kind: CategoryKindSchema.optional(),
    }),
  ),
  create: apiMethod<Category>()(CategoryCreateInputSchema),
  update: apiMethod<Category>()(
    z.strictObject({ ref: RefSchema, patch: CategoryUpdateInputSchema }),
  ),
  archive: apiMethod<Category>()(RefInput),
  delete: apiMethod<null>()(RefInput),
} as const;

export const TRANSACTION_METHODS = {
  /** A page of the ledger, newest first, with the number of rows the filter matches. */
  list: apiMethod<Page<Transaction>>()(TransactionListFilterSchema),
  get: apiMethod<Transaction>()(IdInput),
  create: apiMethod<Transaction>()(TransactionCreateInputSchema),
  update: apiMethod<Transaction>()(
    z.strictObject({ id: IdSchema, patch: TransactionUpdateInputSchema }),
  ),
  delete: apiMethod<null>()(IdInput),
} as const;

export const BUDGET_METHODS = {
  list: apiMethod<Budget[]>()(z.strictObject({ month: IsoMonthSchema })),
  set: apiMethod<Budget>()(BudgetSetInputSchema),
  remove: apiMethod<null>()(z.strictObject({ month: IsoMonthSchema, category: RefSchema })),
  /** Budget against actual for one month, per currency: never two currencies added. */
  report: apiMethod<BudgetReport>()(
    z.strictObject({ month: IsoMonthSchema, currency: CurrencyCodeSchema.optional() }),
  ),
} as const;

export const REVIEW_METHODS = {
  list: apiMethod<TransactionReview[]>()(EmptyInputSchema),
  count: apiMethod<number>()(EmptyInputSchema),
  resolve: apiMethod<TransactionReview>()(
    z.strictObject({ id: IdSchema, action: ReviewActionSchema }),
  ),
} as const;
