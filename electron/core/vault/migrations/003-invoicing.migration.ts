import type { Migration } from './migration.js';

/**
 * Invoicing tables. The services validate everything first; the CHECK constraints are a
 * second line of defence so no code path (a future sync applier, a bug, a manual repair)
 * can store a float amount, a malformed date, an unknown status or a negative price.
 *
 * Document lines (quote_lines, invoice_lines, recurring_lines) are not records of their
 * own: they are part of their parent's `lines` field, written and synced as a whole, so
 * they carry no timestamps or tombstones and are replaced when the parent changes.
 *
 * Client names are not UNIQUE in SQL on purpose (two offline devices may both create
 * "Acme"); the service refuses duplicates locally. Invoice numbers ARE unique: a number
 * identifies a legal document and is never reused, not even after a tombstone.
 *
 * invoice_counter holds the local numbering series (prefix → next value) used when the
 * vault is not synced; it is device state, not a synced record.
 */
const DATE_GLOB = `'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`;

const date = (column: string, nullable: boolean): string =>
  nullable
    ? `${column} TEXT CHECK (${column} IS NULL OR ${column} GLOB ${DATE_GLOB})`
    : `${column} TEXT NOT NULL CHECK (${column} GLOB ${DATE_GLOB})`;
const currency = (column: string): string =>
  `${column} TEXT NOT NULL CHECK (length(${column}) = 3 AND ${column} = upper(${column}))`;
const integer = (column: string, condition = 'TRUE'): string =>
  `${column} INTEGER NOT NULL CHECK (typeof(${column}) = 'integer' AND ${condition})`;
const RECORD_TIMES = `
  created_at INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')`;
const PAYMENT_METHODS = `('bank_transfer', 'card', 'paypal', 'stripe', 'zelle', 'cash', 'check', 'other')`;
const PAYMENT_INSTRUCTIONS = `
  payment_method  TEXT CHECK (payment_method IS NULL OR payment_method IN ${PAYMENT_METHODS}),
  payment_details TEXT`;
const PAYMENT_INSTRUCTIONS_CHECK = 'CHECK ((payment_method IS NULL) = (payment_details IS NULL))';

const lineTable = (table: string, parentColumn: string, parentTable: string): string => `
CREATE TABLE ${table} (
  id               TEXT PRIMARY KEY NOT NULL,
  ${parentColumn}  TEXT NOT NULL REFERENCES ${parentTable}(id) ON DELETE CASCADE,
  ${integer('position', 'position >= 0')},
  description      TEXT NOT NULL CHECK (length(trim(description)) > 0),
  ${integer('quantity_milli', 'quantity_milli > 0')},
  ${integer('unit_price_minor', 'unit_price_minor >= 0')},
  ${integer('tax_rate_ppm', 'tax_rate_ppm BETWEEN 0 AND 1000000')},
  ${integer('discount_ppm', 'discount_ppm BETWEEN 0 AND 1000000')},
  UNIQUE (${parentColumn}, position)
);`;

const SQL = `
CREATE TABLE clients (
  id               TEXT PRIMARY KEY NOT NULL,
  name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
  email            TEXT,
  phone            TEXT,
  address          TEXT,
  tax_id           TEXT,
  notes            TEXT NOT NULL DEFAULT '',
  default_currency TEXT CHECK (default_currency IS NULL OR (length(default_currency) = 3 AND default_currency = upper(default_currency))),
  ${RECORD_TIMES}
);
-- Resolve by name: NOCASE folds ASCII; the service folds the rest.
CREATE INDEX clients_name ON clients(name COLLATE NOCASE);

CREATE TABLE quotes (
  id                   TEXT PRIMARY KEY NOT NULL,
  client_id            TEXT NOT NULL REFERENCES clients(id),
  number               TEXT UNIQUE,
  ${currency('currency')},
  ${date('issue_date', false)},
  ${date('valid_until', true)},
  status               TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'expired', 'converted')),
  notes                TEXT NOT NULL DEFAULT '',
  converted_invoice_id TEXT REFERENCES invoices(id),
  ${RECORD_TIMES},
  CHECK ((status = 'converted') = (converted_invoice_id IS NOT NULL))
);
CREATE INDEX quotes_client ON quotes(client_id);
${lineTable('quote_lines', 'quote_id', 'quotes')}

CREATE TABLE recurring_schedules (
  id          TEXT PRIMARY KEY NOT NULL,
  client_id   TEXT NOT NULL REFERENCES clients(id),
  ${currency('currency')},
  frequency   TEXT NOT NULL CHECK (frequency IN ('weekly', 'monthly', 'quarterly', 'yearly')),
  ${integer('interval', 'interval >= 1')},
  ${date('start_date', false)},
  ${date('next_date', false)},
  ${date('end_date', true)},
  ${integer('due_days', 'due_days >= 0')},
  ${PAYMENT_INSTRUCTIONS},
  notes       TEXT NOT NULL DEFAULT '',
  active      INTEGER NOT NULL CHECK (active IN (0, 1)),
  ${RECORD_TIMES},
  ${PAYMENT_INSTRUCTIONS_CHECK},
  CHECK (next_date >= start_date),
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX recurring_schedules_due ON recurring_schedules(next_date) WHERE active = 1 AND deleted_at IS NULL;
${lineTable('recurring_lines', 'schedule_id', 'recurring_schedules')}

CREATE TABLE invoices (
  id          TEXT PRIMARY KEY NOT NULL,
  client_id   TEXT NOT NULL REFERENCES clients(id),
  -- UNIQUE allows many NULLs: drafts have no number.
  number      TEXT UNIQUE,
  ${currency('currency')},
  ${date('issue_date', true)},
  ${date('due_date', true)},
  status      TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'paid', 'partially_paid', 'void')),
  ${PAYMENT_INSTRUCTIONS},
  notes       TEXT NOT NULL DEFAULT '',
  quote_id    TEXT REFERENCES quotes(id),
  schedule_id TEXT REFERENCES recurring_schedules(id),
  ${RECORD_TIMES},
  ${PAYMENT_INSTRUCTIONS_CHECK},
  CHECK (due_date IS NULL OR issue_date IS NULL OR due_date >= issue_date)
);
CREATE INDEX invoices_client ON invoices(client_id);
CREATE INDEX invoices_status ON invoices(status);
CREATE INDEX invoices_quote ON invoices(quote_id);
CREATE INDEX invoices_schedule ON invoices(schedule_id);
${lineTable('invoice_lines', 'invoice_id', 'invoices')}

CREATE TABLE payments (
  id           TEXT PRIMARY KEY NOT NULL,
  client_id    TEXT REFERENCES clients(id),
  ${date('date', false)},
  ${integer('amount_minor', 'amount_minor > 0')},
  ${currency('currency')},
  method       TEXT NOT NULL CHECK (method IN ${PAYMENT_METHODS}),
  reference    TEXT NOT NULL DEFAULT '',
  -- A reference to where the money landed; recording a payment creates no transaction.
  account_id   TEXT REFERENCES accounts(id),
  ${RECORD_TIMES}
);
CREATE INDEX payments_client ON payments(client_id);

-- Allocations are part of their payment's \`allocations\` field, like document lines.
CREATE TABLE payment_allocations (
  payment_id   TEXT NOT NULL REFERENCES payments(id) ON DELETE CASCADE,
  invoice_id   TEXT NOT NULL REFERENCES invoices(id),
  ${integer('position', 'position >= 0')},
  ${integer('amount_minor', 'amount_minor > 0')},
  PRIMARY KEY (payment_id, invoice_id)
) WITHOUT ROWID;
CREATE INDEX payment_allocations_invoice ON payment_allocations(invoice_id);

CREATE TABLE contracts (
  id            TEXT PRIMARY KEY NOT NULL,
  client_id     TEXT NOT NULL REFERENCES clients(id),
  title         TEXT NOT NULL CHECK (length(trim(title)) > 0),
  status        TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'signed', 'void')),
  attachment_id TEXT REFERENCES attachments(id),
  notes         TEXT NOT NULL DEFAULT '',
  signed_at     INTEGER CHECK (signed_at IS NULL OR typeof(signed_at) = 'integer'),
  ${RECORD_TIMES}
);
CREATE INDEX contracts_client ON contracts(client_id);

CREATE TABLE receipts (
  id             TEXT PRIMARY KEY NOT NULL,
  transaction_id TEXT REFERENCES transactions(id),
  ${date('date', false)},
  merchant       TEXT NOT NULL DEFAULT '',
  amount_minor   INTEGER CHECK (amount_minor IS NULL OR (typeof(amount_minor) = 'integer' AND amount_minor >= 0)),
  currency       TEXT CHECK (currency IS NULL OR (length(currency) = 3 AND currency = upper(currency))),
  attachment_id  TEXT NOT NULL REFERENCES attachments(id),
  notes          TEXT NOT NULL DEFAULT '',
  ${RECORD_TIMES},
  CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX receipts_transaction ON receipts(transaction_id);
CREATE INDEX receipts_date ON receipts(date);

CREATE TABLE invoice_counter (
  prefix     TEXT PRIMARY KEY NOT NULL,
  ${integer('next_value', 'next_value >= 1')}
) WITHOUT ROWID;
`;

export const invoicingMigration: Migration = {
  version: 3,
  name: 'invoicing',
  up(db) {
    db.exec(SQL);
  },
};

export default invoicingMigration;
