import type { SqliteDatabase } from './sqlcipher.js';

/**
 * Drops the secondary indexes of `tables` (or, with `names`, only those), returning the SQL
 * that makes them again. For a write that fills a table far past what it held: one sort per
 * index at the end (remakeIndexes) costs far less than keeping each up to date through
 * thousands of inserts in random key order. Run inside the write's transaction, so a write
 * that fails leaves them as they were. The indexes behind PRIMARY KEY and UNIQUE
 * constraints (no SQL of their own) always stay.
 */
export function dropSecondaryIndexes(
  db: SqliteDatabase,
  tables: readonly string[],
  names?: readonly string[],
): string[] {
  const byName = names === undefined ? '' : ` AND name IN (${names.map(() => '?').join(', ')})`;
  const indexes = db
    .prepare<string[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND tbl_name IN (${tables.map(() => '?').join(', ')})${byName} ORDER BY name`,
    )
    .all(...tables, ...(names ?? []));
  for (const index of indexes) db.exec(`DROP INDEX "${index.name.replace(/"/g, '""')}"`);
  return indexes.map((index) => index.sql);
}

/**
 * Runs the SQL dropSecondaryIndexes returned; a UNIQUE index the rows now break fails here.
 * SQLite sorts each index's keys on this thread and in memory: with `temp_store = MEMORY`
 * (every vault connection) it neither spills a sort to a temporary file, which would hold
 * index keys unencrypted, nor hands it to helper threads.
 */
export function remakeIndexes(db: SqliteDatabase, indexes: readonly string[]): void {
  for (const sql of indexes) db.exec(sql);
}
