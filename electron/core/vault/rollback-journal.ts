import { setJournalMode, type SqliteDatabase } from './sqlcipher.js';

/**
 * Runs `fn` (which writes in one transaction) with the vault out of WAL mode when it can
 * leave it, then returns to WAL. For a large write into an empty vault (a snapshot's bulk
 * load): in WAL every page is written twice, once to the WAL at commit and once more when
 * the checkpoint copies it into the file; under a rollback journal, pages past the file's
 * old end are written once and never journaled. Atomic either way. When another connection
 * has the file open SQLite keeps WAL, and `fn` runs in it as usual.
 */
export function withRollbackJournal<T>(db: SqliteDatabase, fn: () => T): T {
  const left = leaveWal(db);
  try {
    return fn();
  } finally {
    if (left) returnToWal(db);
  }
}

/**
 * The same for a write that yields to the event loop between its steps (an import writing
 * chunk by chunk in one transaction, vault.transactionInSteps): out of WAL before its
 * transaction begins, back in WAL once it has ended, committed or not.
 */
export async function withRollbackJournalAsync<T>(
  db: SqliteDatabase,
  fn: () => Promise<T>,
): Promise<T> {
  const left = leaveWal(db);
  try {
    return await fn();
  } finally {
    if (left) returnToWal(db);
  }
}

/** Whether the connection left WAL: never inside a transaction, nor with others attached. */
function leaveWal(db: SqliteDatabase): boolean {
  if (db.inTransaction) return false;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    return String(db.pragma('journal_mode = DELETE', { simple: true })).toLowerCase() === 'delete';
  } catch {
    // Busy or read-only: the write runs in WAL.
    return false;
  }
}

function returnToWal(db: SqliteDatabase): void {
  try {
    setJournalMode(db, 'wal');
  } catch {
    // openEncryptedDatabase sets WAL on every open; nothing is lost by leaving it for then.
  }
}
