import { promises as fs } from 'node:fs';

import Database from 'better-sqlite3';

import { BackupError, errorCode, errorText } from './backup-error.js';
import type { KeyCheck } from './backup-header.js';
import { readKeyCheck } from './key-check.js';
import { describeWriteError } from './write-backup-file.js';

/** Every remaining page in one step: a step sees one read snapshot of the live database. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the live SQLite database into `staged` through SQLite's online backup API: a
 * consistent copy while the server keeps writing (WAL: the server is never blocked; a copy
 * its writes overtake starts over, and the later steps take every page at once). Returns
 * the copy's key check. Opens the live file read-only: no migration, no write to it.
 */
export async function snapshotSqlite(databaseFile: string, staged: string): Promise<KeyCheck> {
  let source: Database.Database;
  try {
    await fs.access(databaseFile);
    source = new Database(databaseFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(
      errorCode(error) === 'ENOENT'
        ? `there is no server database at ${databaseFile}; nothing was written.`
        : `cannot open the server database ${databaseFile} (${errorText(error)}); nothing was written.`,
      errorCode(error) === 'ENOENT' ? 2 : 1,
    );
  }
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(staged, { progress: () => ALL_PAGES });
  } catch (error) {
    await fs.rm(staged, { force: true });
    throw new BackupError(
      `could not copy the database (${sqliteWriteError(error)}); no backup file was left.`,
    );
  } finally {
    source.close();
  }
  try {
    const copy = new Database(staged, { fileMustExist: true });
    try {
      // One self-contained file (the live one is in WAL mode; the restored server sets it again).
      copy.pragma('journal_mode = DELETE');
      return await readKeyCheck(
        (sql, params) => Promise.resolve(copy.prepare(sql).get(...params)),
        () => '?',
      );
    } finally {
      copy.close();
    }
  } catch (error) {
    await fs.rm(staged, { force: true });
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      `could not read the database copy (${sqliteWriteError(error)}); no backup file was left.`,
    );
  }
}

function sqliteWriteError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code.startsWith('SQLITE_IOERR')) return `a write failed: ${errorText(error)}`;
  return describeWriteError(error);
}
