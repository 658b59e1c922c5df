import Database from 'better-sqlite3-multiple-ciphers';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { assertVaultKey } from './key-store.js';
import { fromSqliteError, sqliteCode } from './sqlite-errors.js';
import { vaultKeyId } from './vault-key-wrap.js';

export type SqliteDatabase = Database.Database;

/**
 * Opens a SQLCipher 4 database with a raw 256-bit key (no KDF at open) and applies the
 * connection settings every vault connection must have. A wrong key is reported as
 * VAULT_KEY_INVALID; the key never appears in an error.
 */
export function openEncryptedDatabase(
  file: string,
  key: Buffer,
  options: { create?: boolean; incrementalVacuum?: boolean } = {},
): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(file, { fileMustExist: options.create !== true });
  } catch (error) {
    throw translateOpenError(error, file);
  }
  try {
    applyKey(db, key);
    verifyKey(db, file);
    // Only a database with no page written yet takes it: switching to WAL writes the header.
    if (options.create === true && options.incrementalVacuum === true) {
      db.pragma('auto_vacuum = INCREMENTAL');
    }
    applyConnectionPragmas(db);
    keyIds.set(db, vaultKeyId(key));
    return db;
  } catch (error) {
    db.close();
    throw translateOpenError(error, file);
  }
}

/** Which key each open connection is under (by id, never the key), for vault.json's wraps. */
const keyIds = new WeakMap<SqliteDatabase, string>();

/** The id (see vaultKeyId) of the key `db` was opened or last rekeyed with. */
export function connectionKeyId(db: SqliteDatabase): string {
  const id = keyIds.get(db);
  if (id === undefined) {
    throw new CofferError('INTERNAL', 'This connection was not opened by openEncryptedDatabase.');
  }
  return id;
}

/** Selects SQLCipher 4 and sets the raw key; must run before anything reads the file. */
export function applyKey(db: SqliteDatabase, key: Buffer): void {
  assertVaultKey(key);
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

/** Reading the schema is the first access that decrypts a page, so it proves the key. */
export function verifyKey(db: SqliteDatabase, file: string): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  } catch (error) {
    if (sqliteCode(error) === 'SQLITE_NOTADB') {
      throw new CofferError(
        'VAULT_KEY_INVALID',
        `The key does not open the vault database ${file}.`,
      );
    }
    throw error;
  }
}

/** Negative: a size in KiB rather than a page count (SQLite's convention). */
const PAGE_CACHE_KIB = -65_536;

export function applyConnectionPragmas(db: SqliteDatabase): void {
  setJournalMode(db, 'wal');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('secure_delete = ON');
  db.pragma('temp_store = MEMORY');
  // 64 MiB instead of the build's 16 MiB: an encrypted page that is evicted and read again
  // costs a decrypt (measured: ~8% off a 100k-transaction import). The cache grows only as
  // pages are used, so small vaults never reach it.
  db.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
}

export function setJournalMode(db: SqliteDatabase, mode: 'wal' | 'delete'): void {
  const actual = db.pragma(`journal_mode = ${mode.toUpperCase()}`, { simple: true });
  if (String(actual).toLowerCase() !== mode) {
    throw new CofferError(
      'VAULT_LOCKED',
      `Could not switch the vault to journal mode ${mode} (still ${String(actual)}); is it open in another process?`,
    );
  }
}

/**
 * Prepares a rekey: no other connection may read the file while the key store and the
 * file disagree about the key, or a second process could open the vault with the old key
 * and discard the pending one. So the WAL is checkpointed into the main file, the database
 * leaves WAL mode (which also fails when another process has it open) and this connection
 * takes and holds an exclusive lock until `endExclusiveRekey`.
 *
 * Leaving WAL is also what SQLite3 Multiple Ciphers 2.3.x requires: it refuses
 * `PRAGMA rekey` in WAL mode ("Rekeying is not supported in WAL journal mode").
 */
export function beginExclusiveRekey(db: SqliteDatabase): void {
  if (db.inTransaction) {
    throw new CofferError('INVALID_STATE', 'The vault key cannot be changed inside a transaction.');
  }
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    setJournalMode(db, 'delete');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    // Another process may have switched the file back to WAL before our lock; a rekey
    // would then fail anyway, so stop here while nothing has changed.
    const mode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
    if (mode !== 'delete') {
      throw new CofferError(
        'VAULT_LOCKED',
        'The vault is in use by another process; close it there and try again.',
      );
    }
  } catch (error) {
    endExclusiveRekey(db);
    if (isCofferError(error)) throw error;
    // A full or read-only disk says so; anything else here means another connection.
    const translated = fromSqliteError(error);
    if (isCofferError(translated) && translated.code !== 'INTERNAL') throw translated;
    throw new CofferError(
      'VAULT_LOCKED',
      'The vault is in use by another process; close it there and try again.',
    );
  }
}

/**
 * Re-encrypts every page under the new key. Outside WAL mode this is one transaction: a
 * crash leaves a hot journal of old-key pages that the next open plays back, so the file is
 * always wholly under the old key or wholly under the new one.
 * Throws REKEY_FAILED only when the rekey was rolled back (the old key still opens the file).
 */
export function rekeyDatabase(db: SqliteDatabase, newKey: Buffer): void {
  assertVaultKey(newKey);
  try {
    db.pragma(`rekey = "x'${newKey.toString('hex')}'"`);
    keyIds.set(db, vaultKeyId(newKey));
  } catch (error) {
    // The driver's message would quote the pragma, and with it the new key.
    const cause = fromSqliteError(error);
    throw new CofferError(
      'REKEY_FAILED',
      'Re-encrypting the vault failed; it is still under its old key.',
      isCofferError(cause) ? { cause: cause.code } : undefined,
    );
  }
}

/** Releases the exclusive lock and returns to WAL. A failure here is left for the next open to repair. */
export function endExclusiveRekey(db: SqliteDatabase): void {
  try {
    // WAL entered under EXCLUSIVE locking keeps its index in heap memory and cannot return
    // to NORMAL locking, so the lock is released (by the read) before WAL is re-entered.
    db.pragma('locking_mode = NORMAL');
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    setJournalMode(db, 'wal');
  } catch {
    // openEncryptedDatabase sets WAL on every open; nothing is lost by leaving it for then.
  }
}

function translateOpenError(error: unknown, file: string): CofferError {
  if (isCofferError(error)) return error;
  const code = sqliteCode(error);
  if (
    code === 'SQLITE_CANTOPEN' ||
    (error instanceof Error && /does not exist/i.test(error.message))
  ) {
    return new CofferError('VAULT_NOT_FOUND', `No vault database at ${file}.`);
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new CofferError(
      'VAULT_LOCKED',
      `The vault database ${file} is locked by another process.`,
    );
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new CofferError('VAULT_CORRUPT', `The vault database ${file} is damaged.`);
  }
  const translated = fromSqliteError(error);
  if (isCofferError(translated)) return translated;
  return new CofferError('INTERNAL', `Could not open the vault database ${file}.`);
}
