import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

import type { ServerConfig } from '../config/server-config.js';
import { databasePath } from '../data-dir.js';
import { certificatePaths } from '../tls/certificate.js';
import { SERVER_VERSION } from '../version.js';
import { BackupError, errorCode } from './backup-error.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  DATABASE_ENTRY,
  TLS_CERT_ENTRY,
  TLS_KEY_ENTRY,
} from './backup-header.js';
import type { BackupHeader, KeyCheck } from './backup-header.js';
import { dumpPostgres } from './postgres-dump.js';
import { snapshotSqlite } from './sqlite-snapshot.js';
import { describeWriteError, writeBackupFile } from './write-backup-file.js';

export interface CreateBackupOptions {
  config: Pick<ServerConfig, 'dataDir' | 'storage' | 'databaseUrl'>;
  /** Absolute path of the backup file to write. */
  out: string;
  /** Replace an existing `out`. */
  force: boolean;
  now?: () => Date;
}

export interface CreatedBackup {
  out: string;
  bytes: number;
  sha256: string;
  header: Omit<BackupHeader, 'entries'>;
}

/**
 * `backup`: one file with the database (a consistent copy taken while the server runs) and
 * the data dir's TLS certificate and key, so a restored server keeps its pinned fingerprint.
 * The master key file lives outside the data dir and is never read here: a backup holds
 * sealed values and the key's id, never the key. Mail in the outbox folder and the lock
 * file stay out.
 */
export async function createBackup(options: CreateBackupOptions): Promise<CreatedBackup> {
  const { config, out } = options;
  await assertDataDir(config.dataDir);
  await assertOutPath(out, options.force);
  const tls = certificatePaths(config.dataDir);
  const certPem = await readDataFile(tls.cert, 'TLS certificate');
  const keyPem = await readDataFile(tls.key, 'TLS key');

  const staged = path.join(
    path.dirname(out),
    `.${path.basename(out)}.database-${randomBytes(6).toString('hex')}`,
  );
  try {
    // Made 0600 first: SQLite and pg_dump would create it readable by all (umask), and the
    // copy holds password hashes and sealed values until it is deleted.
    await (
      await fs.open(staged, 'wx', 0o600).catch((error: unknown) => {
        throw new BackupError(
          `cannot write in the folder of ${out} (${describeWriteError(error)}); nothing was written.`,
        );
      })
    ).close();
    let keyCheck: KeyCheck;
    let schema: string | undefined;
    if (config.storage === 'sqlite') {
      keyCheck = await snapshotSqlite(databasePath(config.dataDir), staged);
    } else {
      if (config.databaseUrl === undefined) {
        throw new BackupError('--storage postgres needs --database-url; nothing was written.', 2);
      }
      ({ keyCheck, schema } = await dumpPostgres(config.databaseUrl, staged));
    }
    const header: Omit<BackupHeader, 'entries'> = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      storage: config.storage,
      serverVersion: SERVER_VERSION,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      ...(schema === undefined ? {} : { schema }),
      keyCheck,
    };
    const written = await writeBackupFile(
      out,
      header,
      [
        { name: DATABASE_ENTRY, file: staged },
        { name: TLS_CERT_ENTRY, data: certPem },
        { name: TLS_KEY_ENTRY, data: keyPem },
      ],
      { force: options.force },
    );
    return { out, header, ...written };
  } finally {
    await fs.rm(staged, { force: true });
  }
}

async function assertDataDir(dataDir: string): Promise<void> {
  try {
    const stat = await fs.stat(dataDir);
    if (!stat.isDirectory()) throw new BackupError(`${dataDir} is not a directory.`, 2);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(
      errorCode(error) === 'ENOENT'
        ? `the data dir ${dataDir} does not exist; nothing was written.`
        : `cannot read the data dir ${dataDir} (${errorCode(error)}); nothing was written.`,
      2,
    );
  }
}

async function assertOutPath(out: string, force: boolean): Promise<void> {
  try {
    const stat = await fs.stat(path.dirname(out));
    if (!stat.isDirectory()) throw new Error('not a directory');
  } catch (_error) {
    throw new BackupError(`the folder of ${out} does not exist; nothing was written.`, 2);
  }
  let exists = false;
  try {
    await fs.lstat(out);
    exists = true;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  if (exists && !force) {
    throw new BackupError(`${out} already exists; nothing was written (--force replaces it).`, 2);
  }
}

async function readDataFile(file: string, what: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    throw new BackupError(
      `cannot read the server's ${what} ${file} (${errorCode(error)}): has the server ever ` +
        'started on this data dir? Nothing was written.',
      2,
    );
  }
}
