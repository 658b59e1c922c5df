import type { Migration } from './migration.js';

/**
 * The content-key index held (account_id, import_key) for every imported row, yet the key
 * already hashes the account id in (import-id.ts), so the account column only doubled
 * each entry: ~36 bytes of a ~65-byte entry, written, encrypted and checkpointed once per
 * imported row. Keyed by the content key alone it is half the pages. Lookups still name
 * the account: they test it on the row they find (transaction.repository.ts), so a row
 * moved to another account since its import stays that account's, as before.
 */
const SQL = `
DROP INDEX transactions_account_import_key;
CREATE INDEX transactions_import_key ON transactions(import_key)
  WHERE import_key IS NOT NULL;
`;

export const slimImportKeyIndexMigration: Migration = {
  version: 13,
  name: 'slim-import-key-index',
  up(db) {
    db.exec(SQL);
  },
};
