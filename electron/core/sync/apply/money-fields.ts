import type { Collection } from '../../../../shared/sync/change.js';

/**
 * The fields that carry money, per collection (docs/architecture.md, Merge): an amount, its
 * currency, the account it sits in, the date it counts on, and anything made of amounts
 * (splits, document lines, payment allocations, deposits, a budget's amount and month).
 * A concurrent edit of one of these is never settled silently: both values are kept and the
 * record needs review. Every other field is descriptive: the newest by HLC wins.
 */
export const MONEY_FIELDS: Readonly<Record<Collection, readonly string[]>> = {
  accounts: ['currency', 'openingBalanceMinor'],
  categories: [],
  payees: [],
  transactions: ['accountId', 'date', 'amountMinor', 'currency', 'splits'],
  budgets: ['month', 'amountMinor', 'currency'],
  clients: [],
  quotes: ['currency', 'lines', 'depositMinor', 'depositPpm'],
  invoices: ['currency', 'issueDate', 'dueDate', 'lines', 'depositMinor', 'depositPpm'],
  payments: ['accountId', 'date', 'amountMinor', 'currency', 'allocations'],
  recurring_schedules: ['currency', 'lines', 'depositMinor', 'depositPpm'],
  contracts: [],
  receipts: ['date', 'amountMinor', 'currency'],
  attachments: [],
  settings: [],
  transaction_reviews: [],
  payee_rules: [],
  import_profiles: [],
  account_bank_ids: [],
};

export function isMoneyField(collection: Collection, field: string): boolean {
  return MONEY_FIELDS[collection].includes(field);
}

/**
 * A field every collection knows but no column holds: the kept values (their HLCs, per
 * field) that a change resolving a conflict settles. It is how a resolution made on one
 * device clears the same conflict on every other one (a change's `base` names only one
 * value per field, and a resolution replaces two or more).
 */
export const SETTLES_FIELD = 'resolvedConflicts';
