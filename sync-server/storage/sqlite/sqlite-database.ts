import { chmodSync } from 'node:fs';

import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the server database with the settings every connection
 * needs: WAL (readers never block the writer), foreign keys enforced, a busy timeout for
 * a second process such as rotate-master-key. `:memory:` is accepted for unit tests.
 *
 * `synchronous=FULL`: in WAL mode NORMAL skips the fsync at commit, so a power cut can
 * undo the last commits — a revoked session would be live again and a used TOTP step
 * usable twice. FULL syncs the WAL at every commit; the server bench shows what it costs.
 */
export function openSqliteDatabase(file: string): SqliteDatabase {
  const db = new Database(file);
  try {
    if (file !== ':memory:') {
      // The data dir is 0700 already; the file itself holds hashes and sealed values.
      chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = FULL');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
