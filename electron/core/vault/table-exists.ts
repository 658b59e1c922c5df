import type { SqliteDatabase } from './sqlcipher.js';

/**
 * Whether the vault's schema has table `name`: code that a migration test may run against
 * an older schema asks before it prepares statements on a newer table.
 */
export function tableExists(db: SqliteDatabase, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  );
}
