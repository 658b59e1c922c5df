import type { Migration } from './migration.js';

/**
 * The category index held an entry for every transaction, uncategorised ones included,
 * yet nothing reads it for those: the uncategorised report goes by date, and every read
 * through it names a category (`category_id = ?`, which implies IS NOT NULL, so SQLite
 * still picks the partial index, foreign-key checks included). Most imported rows carry
 * no category, so each one wrote, encrypted and, on a first import, sorted an entry that
 * nothing would ever find.
 */
const SQL = `
DROP INDEX transactions_category;
CREATE INDEX transactions_category ON transactions(category_id, date)
  WHERE category_id IS NOT NULL;
`;

export const partialCategoryIndexMigration: Migration = {
  version: 14,
  name: 'partial-category-index',
  up(db) {
    db.exec(SQL);
  },
};
