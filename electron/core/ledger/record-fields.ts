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
  splits: TransactionSplit[];
  createdAt: number;
  updatedAt: number;
}

export type Fields = Record<string, unknown>;

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
    splits: t.splits.map((s) => ({
      categoryId: s.categoryId,
      amountMinor: s.amountMinor,
      memo: s.memo,
    })),
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/**
 * The fields an update changed, plus `updatedAt`, so its change names only what the user
 * edited: concurrent edits of different fields then merge instead of conflicting.
 * Null when nothing but `updatedAt` differs: such an update writes nothing.
 */
export function changedFields(before: Fields, after: Fields): Fields | null {
  const changed: Fields = {};
  for (const [key, value] of Object.entries(after)) {
    if (key === 'updatedAt') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) changed[key] = value;
  }
  if (Object.keys(changed).length === 0) return null;
  if ('updatedAt' in after) changed.updatedAt = after.updatedAt;
  return changed;
}
