import type { Migration } from './migration.js';

/**
 * What bank imports need beyond the ledger:
 *
 * - `transactions.import_key`: the content key (account, date, amount, normalised
 *   description, position among equal rows) of an imported row, kept beside `import_id`
 *   (which holds the bank's own id when there is one). A later import of the same rows
 *   matches either, so re-reading a file with another column mapping adds nothing.
 * - `transaction_reviews`: rows an import added that look like a transaction from another
 *   file or typed by hand; they wait for the user to keep or delete them.
 * - `payee_rules`: "payee contains … → rename, set category", applied on import in order.
 * - `import_profiles`: a confirmed CSV reading (mapping, formats, sign rule) keyed by the
 *   file's header signature, so next month's file from the same bank needs no flags.
 * - `account_bank_ids`: the bank's identifiers for an account (OFX ACCTID, IBAN), so a file
 *   holding several accounts puts each statement where it belongs.
 *
 * As in the ledger, nothing here is UNIQUE in SQL: two devices may make the same rule or
 * profile offline, and applying the second change must not fail. Services refuse
 * duplicates locally.
 */
const SQL = `
ALTER TABLE transactions ADD COLUMN import_key TEXT;
CREATE INDEX transactions_account_import_key ON transactions(account_id, import_key)
  WHERE import_key IS NOT NULL;

CREATE TABLE transaction_reviews (
  id                     TEXT PRIMARY KEY NOT NULL,
  transaction_id         TEXT NOT NULL REFERENCES transactions(id),
  reason                 TEXT NOT NULL CHECK (reason IN ('possible_duplicate')),
  related_transaction_id TEXT REFERENCES transactions(id),
  detail                 TEXT NOT NULL DEFAULT '',
  resolution             TEXT CHECK (resolution IS NULL OR resolution IN ('kept', 'deleted')),
  created_at             INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at             INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at             INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')
);
CREATE INDEX transaction_reviews_transaction ON transaction_reviews(transaction_id);
CREATE INDEX transaction_reviews_open ON transaction_reviews(created_at)
  WHERE resolution IS NULL AND deleted_at IS NULL;

CREATE TABLE payee_rules (
  id          TEXT PRIMARY KEY NOT NULL,
  position    INTEGER NOT NULL CHECK (typeof(position) = 'integer'),
  match_kind  TEXT NOT NULL CHECK (match_kind IN ('contains', 'equals', 'starts_with', 'regex')),
  pattern     TEXT NOT NULL CHECK (length(pattern) > 0),
  rename_to   TEXT CHECK (rename_to IS NULL OR length(trim(rename_to)) > 0),
  category_id TEXT REFERENCES categories(id),
  created_at  INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at  INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at  INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer'),
  CHECK (rename_to IS NOT NULL OR category_id IS NOT NULL)
);
CREATE INDEX payee_rules_position ON payee_rules(position, id);

CREATE TABLE import_profiles (
  id         TEXT PRIMARY KEY NOT NULL,
  format     TEXT NOT NULL CHECK (format IN ('csv', 'ofx', 'qif', 'camt053', 'mt940')),
  signature  TEXT NOT NULL CHECK (length(signature) > 0),
  name       TEXT NOT NULL DEFAULT '',
  settings   TEXT NOT NULL CHECK (json_valid(settings)),
  account_id TEXT REFERENCES accounts(id),
  created_at INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')
);
CREATE INDEX import_profiles_signature ON import_profiles(format, signature);

CREATE TABLE account_bank_ids (
  id              TEXT PRIMARY KEY NOT NULL,
  account_id      TEXT NOT NULL REFERENCES accounts(id),
  bank_account_id TEXT NOT NULL CHECK (length(bank_account_id) > 0),
  created_at      INTEGER NOT NULL CHECK (typeof(created_at) = 'integer'),
  updated_at      INTEGER NOT NULL CHECK (typeof(updated_at) = 'integer'),
  deleted_at      INTEGER CHECK (deleted_at IS NULL OR typeof(deleted_at) = 'integer')
);
CREATE INDEX account_bank_ids_bank ON account_bank_ids(bank_account_id);
CREATE INDEX account_bank_ids_account ON account_bank_ids(account_id);
`;

export const importMigration: Migration = {
  version: 4,
  name: 'import',
  up(db) {
    db.exec(SQL);
  },
};
