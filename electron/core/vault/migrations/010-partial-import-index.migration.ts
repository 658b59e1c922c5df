import type { Migration } from './migration.js';

/**
 * The unique (account, bank id) index held an entry for every transaction, though only
 * rows imported from a file with bank ids (OFX, QIF, CAMT, …) carry one: about 45 bytes a
 * row written and encrypted for nothing. Partial, it keeps the same guarantee (a bank id
 * is imported once per account, tombstones included) and every lookup by `import_id = ?`
 * still uses it, since that comparison implies `import_id IS NOT NULL`.
 */
const SQL = `
DROP INDEX transactions_account_import;
CREATE UNIQUE INDEX transactions_account_import ON transactions(account_id, import_id)
  WHERE import_id IS NOT NULL;
`;

export const partialImportIndexMigration: Migration = {
  version: 10,
  name: 'partial-import-index',
  up(db) {
    db.exec(SQL);
  },
};
