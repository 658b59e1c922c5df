import type { Collection } from '../../../shared/sync/change.js';

/**
 * Which tables an export carries, in the order an import writes them (parents first;
 * quotes ↔ invoices reference each other, so foreign keys are deferred during import).
 * A table in the vault that appears in neither list below fails the export test, so a new
 * table cannot slip into (or out of) exports without a decision.
 */
export const EXPORTED_TABLES = [
  'attachments',
  'document_profile',
  'accounts',
  'categories',
  'payees',
  'transactions',
  'transaction_splits',
  'transaction_reviews',
  'payee_rules',
  'import_profiles',
  'account_bank_ids',
  'budgets',
  'clients',
  'recurring_schedules',
  'recurring_lines',
  'quotes',
  'quote_lines',
  'invoices',
  'invoice_lines',
  'payments',
  'payment_allocations',
  'contracts',
  'receipts',
  'invoice_counter',
] as const;
export type ExportedTable = (typeof EXPORTED_TABLES)[number];

/**
 * Engine state, not user data: identity, keys' age, HLC clocks, the sync outbox; and this
 * device's own settings (preferences, the app lock's passcode hash and attempt count),
 * which belong to the device, not to the vault's records.
 */
export const NOT_EXPORTED_TABLES = [
  'meta',
  'record_clocks',
  'outbox',
  'sqlite_sequence',
  'device_preferences',
  'app_lock',
  'sync_conflicts',
  'sync_superseded',
  'sync_pending',
  'sync_push_acks',
  'sync_devices',
  'sync_seen_hlcs',
  // The sync account holds the session token and private keys: an export is a file a
  // person may hand to an accountant, so it never carries them.
  'sync_account',
  'sync_workspace',
  'sync_workspace_keys',
  'sync_pinned_keys',
] as const;

/** The column of every RecordSpec table that holds the record's field clocks (migration 012). */
export const CLOCKS_COLUMN = 'sync_clocks';

/**
 * Columns of exported tables that are this vault's own state: never a field of a change,
 * never in an export (JSON or CSV), never compared between devices. ExportRepository.columns
 * leaves them out, and everything that turns columns into fields reads through it.
 */
export const LOCAL_COLUMNS: ReadonlySet<string> = new Set([CLOCKS_COLUMN]);

/** A table whose rows are part of a parent record's field, e.g. an invoice's `lines`. */
export interface ChildTable {
  table: ExportedTable;
  parentColumn: string;
  field: string;
}

/**
 * How the rows of a synced record table become a change's fields, the same shape the
 * services record: camelCase columns without `id` and `deleted_at`, 0/1 flags as booleans,
 * payment_method + payment_details as `paymentInstructions`, child rows nested in order
 * of `position` without their parent column and position. Checked against the services'
 * own changes by export-vault.test.ts.
 */
export interface RecordSpec {
  table: ExportedTable;
  collection: Collection;
  booleans?: readonly string[];
  paymentInstructions?: boolean;
  /** Columns not carried in changes (blob bytes travel separately). */
  omit?: readonly string[];
  children?: readonly ChildTable[];
}

export const RECORD_SPECS: readonly RecordSpec[] = [
  { table: 'attachments', collection: 'attachments', omit: ['content'] },
  { table: 'document_profile', collection: 'settings', paymentInstructions: true },
  { table: 'accounts', collection: 'accounts', booleans: ['archived'] },
  { table: 'categories', collection: 'categories', booleans: ['archived'] },
  { table: 'payees', collection: 'payees' },
  {
    table: 'transactions',
    collection: 'transactions',
    children: [{ table: 'transaction_splits', parentColumn: 'transaction_id', field: 'splits' }],
  },
  { table: 'transaction_reviews', collection: 'transaction_reviews' },
  { table: 'payee_rules', collection: 'payee_rules' },
  { table: 'import_profiles', collection: 'import_profiles' },
  { table: 'account_bank_ids', collection: 'account_bank_ids' },
  { table: 'budgets', collection: 'budgets' },
  { table: 'clients', collection: 'clients' },
  {
    table: 'recurring_schedules',
    collection: 'recurring_schedules',
    booleans: ['active'],
    paymentInstructions: true,
    children: [{ table: 'recurring_lines', parentColumn: 'schedule_id', field: 'lines' }],
  },
  {
    table: 'quotes',
    collection: 'quotes',
    children: [{ table: 'quote_lines', parentColumn: 'quote_id', field: 'lines' }],
  },
  {
    table: 'invoices',
    collection: 'invoices',
    paymentInstructions: true,
    children: [{ table: 'invoice_lines', parentColumn: 'invoice_id', field: 'lines' }],
  },
  {
    table: 'payments',
    collection: 'payments',
    children: [{ table: 'payment_allocations', parentColumn: 'payment_id', field: 'allocations' }],
  },
  { table: 'contracts', collection: 'contracts' },
  { table: 'receipts', collection: 'receipts' },
];
