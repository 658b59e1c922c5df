import type { Migration } from './migration.js';

/**
 * Ledger tables. The services validate everything first; the CHECK constraints are a
 * second line of defence so that no code path (a future sync applier, a bug, a manual
 * repair) can store a float amount, a malformed date or a bad currency code.
 *
 * Names are not UNIQUE in SQL on purpose: two devices may create "Checking" while
 * offline, and applying the second change must not fail. The services refuse duplicates
 * locally instead.
 */
const DATE_GLOB = `'[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'`;
const MONTH_GLOB = `'[0-9][0-9][0-9][0-9]-[0-1][0-9]'`;

const SQL = `
CREATE TABLE accounts (
  id                    TEXT PRIMARY KEY NOT NULL,
  name                  TEXT NOT NULL CHECK (length(trim(name)) > 0),
  currency              TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  kind                  TEXT NOT NULL CHECK (kind IN ('checking', 'savings', 'credit_card', 'cash', 'investment', 'other')),
  opening_balance_minor INTEGER NOT NULL DEFAULT 0 CHECK (typeof(opening_balance_minor) = 'integer'),
  archived              INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at            INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at            INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at            INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')
);

CREATE TABLE categories (
  id         TEXT PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
  kind       TEXT NOT NULL CHECK (kind IN ('expense', 'income')),
  parent_id  TEXT REFERENCES categories(id),
  archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  created_at INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer'),
  CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX categories_parent ON categories(parent_id);

CREATE TABLE payees (
  id         TEXT PRIMARY KEY NOT NULL,
  name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
  created_at INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')
);
-- Find-or-create by name: NOCASE folds ASCII; the service folds the rest.
CREATE INDEX payees_name ON payees(name COLLATE NOCASE);

CREATE TABLE transactions (
  id           TEXT PRIMARY KEY NOT NULL,
  account_id   TEXT NOT NULL REFERENCES accounts(id),
  date         TEXT NOT NULL CHECK (date GLOB ${DATE_GLOB}),
  amount_minor INTEGER NOT NULL CHECK (typeof(amount_minor) = 'integer'),
  currency     TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  payee_id     TEXT REFERENCES payees(id),
  category_id  TEXT REFERENCES categories(id),
  notes        TEXT NOT NULL DEFAULT '',
  import_id    TEXT,
  import_batch TEXT,
  created_at   INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at   INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at   INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')
);
-- The ledger page and balances walk (account, date); id breaks ties in a stable order.
CREATE INDEX transactions_account_date ON transactions(account_id, date, id);
CREATE INDEX transactions_date ON transactions(date, id);
-- (category, date): a month's uncategorised rows are one range, not every NULL of all time.
CREATE INDEX transactions_category ON transactions(category_id, date);
-- Re-importing a statement adds nothing. Tombstones count: a deleted imported
-- transaction stays deleted when the same file is imported again.
CREATE UNIQUE INDEX transactions_account_import ON transactions(account_id, import_id);

CREATE TABLE transaction_splits (
  transaction_id TEXT NOT NULL REFERENCES transactions(id) ON DELETE CASCADE,
  position       INTEGER NOT NULL CHECK (typeof(position) = 'integer' AND position >= 0),
  category_id    TEXT NOT NULL REFERENCES categories(id),
  amount_minor   INTEGER NOT NULL CHECK (typeof(amount_minor) = 'integer'),
  memo           TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (transaction_id, position)
) WITHOUT ROWID;
CREATE INDEX transaction_splits_category ON transaction_splits(category_id);

CREATE TABLE budgets (
  id           TEXT PRIMARY KEY NOT NULL,
  month        TEXT NOT NULL CHECK (month GLOB ${MONTH_GLOB}),
  category_id  TEXT NOT NULL REFERENCES categories(id),
  amount_minor INTEGER NOT NULL CHECK (typeof(amount_minor) = 'integer'),
  currency     TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
  created_at   INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at   INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at   INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')
);
CREATE UNIQUE INDEX budgets_month_category ON budgets(month, category_id) WHERE deleted_at IS NULL;
CREATE INDEX budgets_category ON budgets(category_id);
`;

export const ledgerMigration: Migration = {
  version: 2,
  name: 'ledger',
  up(db) {
    db.exec(SQL);
  },
};
