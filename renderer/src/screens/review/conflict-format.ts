import type { ConflictView } from '../../../../shared/api/conflicts.methods.js';
import { formatIsoDate, formatMinor } from '../../ui/format.js';

const FIELD_NAMES: Record<string, string> = {
  amountMinor: 'Amount',
  openingBalanceMinor: 'Opening balance',
  depositMinor: 'Deposit',
  currency: 'Currency',
  date: 'Date',
  issueDate: 'Issue date',
  dueDate: 'Due date',
  month: 'Month',
  accountId: 'Account',
  splits: 'Splits',
  lines: 'Lines',
  allocations: 'Allocations',
  depositPpm: 'Deposit share',
};

const KIND_NAMES: Record<string, string> = {
  transactions: 'Transaction',
  accounts: 'Account',
  budgets: 'Budget',
  quotes: 'Quote',
  invoices: 'Invoice',
  payments: 'Payment',
  recurring_schedules: 'Recurring invoice',
  receipts: 'Receipt',
};

export function fieldName(field: string): string {
  return FIELD_NAMES[field] ?? field;
}

export function kindName(collection: string): string {
  return KIND_NAMES[collection] ?? collection;
}

/** A kept value as the ledger would show it: money in its currency, dates in the locale. */
export function formatConflictValue(conflict: ConflictView, value: unknown): string {
  if (typeof value === 'number' && conflict.currency !== null) {
    return formatMinor(value, conflict.currency);
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatIsoDate(value);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'None';
  return JSON.stringify(value);
}

/** Whether a value may be typed in for this field: amounts in minor units, in their currency. */
export function takesTypedAmount(conflict: ConflictView): conflict is ConflictView & {
  currency: string;
} {
  return conflict.currency !== null && conflict.field.endsWith('Minor');
}
