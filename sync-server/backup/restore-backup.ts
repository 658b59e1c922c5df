import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import type { ServerConfig } from '../config/server-config.js';
import { DATABASE_FILE, lockDataDir } from '../data-dir.js';
import { syncDirectory } from '../secrets/master-key.js';
import { openConfiguredStorage } from '../storage/open-storage.js';
import { markRestored } from '../sync/restore-epoch.js';
import { BackupError, errorCode } from './backup-error.js';
import { DATABASE_ENTRY, TLS_CERT_ENTRY, TLS_KEY_ENTRY } from './backup-header.js';
import type { BackupHeader } from './backup-header.js';
import { checkKeyOpensBackup } from './key-check.js';
import { assertEmptyPostgresTarget, loadPostgresDump } from './postgres-restore.js';
import { entryStream, readEntry, verifyBackupFile } from './read-backup-file.js';
import type { VerifiedBackup } from './read-backup-file.js';
import { describeWriteError } from './write-backup-file.js';

export interface RestoreOptions {
  config: Pick<ServerConfig, 'dataDir' | 'storage' | 'databaseUrl' | 'keyFile'>;
  /** Absolute path of the backup file. */
  from: string;
}

export interface RestoredBackup {
  header: BackupHeader;
  /** The epoch id the backup carried, and the new one the restored server answers with. */
  previousEpoch: string | null;
  epoch: string;
}

const STORAGE_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;

/**
 * `restore`: every check first — the file whole and unaltered, the same storage kind, the
 * master key opens its sealed values, the data dir (and database) empty — and only then
 * anything written: the database, then the data dir's files (staged beside it and renamed
 * into place), then a new epoch id, so clients push again what the backup lacks.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoredBackup> {
  const { config } = options;
  const backup = await verifyBackupFile(options.from);
  const { header } = backup;
  if (header.storage !== config.storage) {
    const flags =
      header.storage === 'postgres'
        ? '--storage postgres --database-url URL'
        : '--storage sqlite (the default)';
    throw new BackupError(
      `${options.from} is a backup of a server on ${STORAGE_NAMES[header.storage]}, not ` +
        `${STORAGE_NAMES[config.storage]}; restore it with ${flags}. Nothing was restored.`,
      2,
    );
  }
  await checkKeyOpensBackup(config.keyFile, header.keyCheck);
  await assertEmptyDataDir(config.dataDir);

  if (config.storage === 'postgres') {
    if (config.databaseUrl === undefined) {
      throw new BackupError('--storage postgres needs --database-url; nothing was restored.', 2);
    }
    const target = await assertEmptyPostgresTarget(config.databaseUrl, backup);
    await loadPostgresDump(config.databaseUrl, backup, target);
  }
  await writeDataDir(config.dataDir, backup, config.storage === 'sqlite');

  const release = await lockDataDir(config.dataDir);
  try {
    const storage = await openConfiguredStorage(config, 'maintenance');
    try {
      const { previous, epoch } = await markRestored(storage);
      return { header, previousEpoch: previous, epoch };
    } finally {
      await storage.close();
    }
  } finally {
    await release();
  }
}

async function assertEmptyDataDir(dataDir: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dataDir);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return;
    throw new BackupError(
      code === 'ENOTDIR'
        ? `${dataDir} is not a directory; nothing was restored.`
        : `cannot read the data dir ${dataDir} (${code}); nothing was restored.`,
      2,
    );
  }
  if (names.length > 0) {
    throw new BackupError(
      `the data dir ${dataDir} is not empty (${names.slice(0, 3).join(', ')}` +
        `${names.length > 3 ? ', ...' : ''}); restore into a new or empty folder. Nothing was restored.`,
      2,
    );
  }
}

/**
 * Writes the backup's files into a 0700 folder beside the data dir, flushed, and renames it
 * into place: the data dir appears whole or not at all.
 */
async function writeDataDir(
  dataDir: string,
  backup: VerifiedBackup,
  withDatabase: boolean,
): Promise<void> {
  const parent = path.dirname(dataDir);
  const staging = `${dataDir}.restoring-${randomBytes(6).toString('hex')}`;
  try {
    await fs.mkdir(parent, { recursive: true });
    await fs.mkdir(staging, { mode: 0o700 });
    if (withDatabase) {
      const database = entryStream(backup, DATABASE_ENTRY);
      if (database === null) throw new BackupError('the backup holds no database.');
      await writeFlushed(path.join(staging, DATABASE_FILE), 0o600, database);
    }
    await fs.mkdir(path.join(staging, 'tls'), { mode: 0o700 });
    const key = await readEntry(backup, TLS_KEY_ENTRY);
    const cert = await readEntry(backup, TLS_CERT_ENTRY);
    if (key === null || cert === null) {
      throw new BackupError('the backup holds no TLS certificate and key.');
    }
    await writeFlushed(path.join(staging, 'tls', 'server.key'), 0o600, key);
    await writeFlushed(path.join(staging, 'tls', 'server.crt'), 0o644, cert);
    await syncDirectory(path.join(staging, 'tls'));
    await syncDirectory(staging);
    await fs.rmdir(dataDir).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
    await fs.rename(staging, dataDir);
    await syncDirectory(parent);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    const what = withDatabase
      ? 'nothing was restored'
      : 'the database was restored, the data dir not';
    if (error instanceof BackupError) throw new BackupError(`${error.message} ${what}.`);
    throw new BackupError(
      `could not write the data dir ${dataDir} (${describeWriteError(error)}); ${what}.`,
    );
  }
}

async function writeFlushed(
  file: string,
  mode: number,
  content: Buffer | NodeJS.ReadableStream,
): Promise<void> {
  if (Buffer.isBuffer(content)) {
    const handle = await fs.open(file, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return;
  }
  const handle = await fs.open(file, 'wx', mode);
  try {
    await pipeline(content, createWriteStream(file, { fd: handle.fd, autoClose: false }));
    await handle.sync();
  } finally {
    await handle.close();
  }
}
