import { CLOCKS_COLUMN, RECORD_SPECS } from '../export/export-tables.js';
import type { SqliteDatabase } from '../vault/sqlcipher.js';

/**
 * Test-only: how many records hold field clocks, in their own row or in the
 * `record_clocks` fallback. Fixtures count it under the name `record_clocks`.
 */
export function clockedRecords(db: SqliteDatabase): number {
  let count = Number(db.prepare('SELECT count(*) FROM record_clocks').pluck().get());
  for (const { table } of RECORD_SPECS) {
    count += Number(
      db
        .prepare(`SELECT count(*) FROM "${table}" WHERE ${CLOCKS_COLUMN} IS NOT NULL`)
        .pluck()
        .get(),
    );
  }
  return count;
}
