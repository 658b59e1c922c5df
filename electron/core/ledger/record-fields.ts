/**
 * What a change carries for each ledger record: the domain object's fields (camelCase),
 * minus the id (it is the change's recordId) and anything derived at read time.
 */
import type {
  Account,
  Budget,
  Category,
  Payee,
  TransactionSplit,
} from '../../../shared/domain/ledger.schema.js';
import type { Fields } from '../sync/edited-fields.js';

export type { Fields };

export interface StoredTransaction {
  id: string;
  accountId: string;
  date: string;
  amountMinor: number;
  currency: string;
  payeeId: string | null;
  categoryId: string | null;
  notes: string;
  importId: string | null;
  importBatch: string | null;
  importKey: string | null;
  splits: TransactionSplit[];
  createdAt: number;
  updatedAt: number;
}

function withoutId<T extends { id: string }>(record: T): Fields {
  const fields: Fields = { ...record };
  delete fields.id;
  return fields;
}

export const accountFields = (a: Account): Fields => withoutId(a);
export const categoryFields = (c: Category): Fields => withoutId(c);
export const payeeFields = (p: Payee): Fields => withoutId(p);
export const budgetFields = (b: Budget): Fields => withoutId(b);

export function transactionFields(t: StoredTransaction): Fields {
  return {
    accountId: t.accountId,
    date: t.date,
    amountMinor: t.amountMinor,
    currency: t.currency,
    payeeId: t.payeeId,
    categoryId: t.categoryId,
    notes: t.notes,
    importId: t.importId,
    importBatch: t.importBatch,
    importKey: t.importKey,
    splits: t.splits.map((s) => ({
      categoryId: s.categoryId,
      amountMinor: s.amountMinor,
      memo: s.memo,
    })),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
