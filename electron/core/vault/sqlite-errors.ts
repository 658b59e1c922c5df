import Database from 'better-sqlite3-multiple-ciphers';
import { CofferError, type ErrorCode } from '../../../shared/errors/coffer-error.js';

/** An error thrown by the SQLite driver: `code` is SQLite's (`SQLITE_BUSY`, `SQLITE_CONSTRAINT_UNIQUE`…). */
export type SqliteError = Error & { code: string };

export function isSqliteError(error: unknown): error is SqliteError {
  return error instanceof Database.SqliteError;
}

/** The SQLite result code of a driver error, or undefined for anything else. */
export function sqliteCode(error: unknown): string | undefined {
  return isSqliteError(error) ? error.code : undefined;
}

/** `SQLITE_IOERR_WRITE` → `SQLITE_IOERR`: extended codes refine a primary code. */
function primaryCode(code: string): string {
  return code.split('_').slice(0, 2).join('_');
}

const CONSTRAINT: Readonly<Record<string, [ErrorCode, string]>> = {
  SQLITE_CONSTRAINT_UNIQUE: [
    'DUPLICATE',
    'A record with the same identity is already in the vault.',
  ],
  SQLITE_CONSTRAINT_PRIMARYKEY: [
    'DUPLICATE',
    'A record with the same identity is already in the vault.',
  ],
  SQLITE_CONSTRAINT_FOREIGNKEY: [
    'INVALID_STATE',
    'The change refers to a record that is not in the vault, or removes one that other records still refer to.',
  ],
  SQLITE_CONSTRAINT_CHECK: ['INVALID_INPUT', 'A value is outside what the vault accepts.'],
  SQLITE_CONSTRAINT_NOTNULL: ['INVALID_INPUT', 'A value the vault requires is missing.'],
  SQLITE_CONSTRAINT_DATATYPE: ['INVALID_INPUT', 'A value has the wrong type for the vault.'],
};

const PRIMARY: Readonly<Record<string, [ErrorCode, string]>> = {
  SQLITE_BUSY: [
    'VAULT_LOCKED',
    'The vault is busy in another process (a write or a key rotation); try again when it has finished.',
  ],
  SQLITE_LOCKED: [
    'VAULT_LOCKED',
    'The vault is busy in another process (a write or a key rotation); try again when it has finished.',
  ],
  SQLITE_CORRUPT: [
    'VAULT_CORRUPT',
    'The vault database is damaged. Restore it from a backup ("coffer restore").',
  ],
  SQLITE_NOTADB: [
    'VAULT_CORRUPT',
    'The vault database is damaged. Restore it from a backup ("coffer restore").',
  ],
  SQLITE_FULL: [
    'DISK_FULL',
    'The disk holding the vault is full, or the vault reached its size limit; nothing was saved. Free some space and try again.',
  ],
  SQLITE_READONLY: [
    'VAULT_READ_ONLY',
    'The vault cannot be written: its file or directory is read-only for this user, or it was moved while open.',
  ],
  SQLITE_IOERR: [
    'VAULT_IO_ERROR',
    'Reading or writing the vault failed in the disk or file system (an I/O error or a file size limit). Check the disk, then try again.',
  ],
  SQLITE_CANTOPEN: [
    'VAULT_IO_ERROR',
    'A vault file could not be opened. Check that the vault directory exists and that you may read and write in it.',
  ],
  SQLITE_PERM: [
    'VAULT_READ_ONLY',
    'The vault cannot be written: its file or directory is read-only for this user, or it was moved while open.',
  ],
  SQLITE_TOOBIG: ['INVALID_INPUT', 'A value is too large to store in the vault.'],
  SQLITE_CONSTRAINT: [
    'INVALID_STATE',
    'The vault refused the change: it would break a rule its records must keep.',
  ],
};

/**
 * Coffer's code and message for a driver error. A driver message can quote the statement
 * that failed and the values bound to it (during a rekey, the key pragma), so no part of it
 * is kept: the SQLite code alone picks the Coffer code and message. Anything that is not a
 * driver error is returned unchanged.
 */
export function fromSqliteError(error: unknown): unknown {
  if (!isSqliteError(error)) return error;
  const [code, message] = CONSTRAINT[error.code] ??
    PRIMARY[primaryCode(error.code)] ?? ['INTERNAL', 'A vault operation failed unexpectedly.'];
  return new CofferError(code, message);
}

/**
 * A driver error's stack for debug output: the Coffer code it maps to and the frames, with
 * neither the driver's message nor its own code (debug output is pasted into bug reports,
 * and the rule is that nothing of the driver's reaches a user).
 */
export function stackWithoutMessage(error: SqliteError): string {
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const mapped = fromSqliteError(error);
  const code = mapped instanceof CofferError ? mapped.code : 'INTERNAL';
  return [`vault database error (${code})`, ...frames].join('\n');
}
