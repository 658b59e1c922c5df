import * as fs from 'node:fs';
import * as path from 'node:path';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { readBackupFile } from './backup-file.js';
import { fromFsError } from './fs-errors.js';
import { VAULT_DB_FILE, VAULT_MANIFEST_FILE, fsyncDir, parseVaultManifest } from './vault-files.js';

export interface RestoreResult {
  vaultId: string;
  dir: string;
  /** When the backup was taken (UTC ms). */
  backedUpAt: number;
}

/** A plain SQLite file starts with this; a vault database never does. */
const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Unpacks a backup into `targetDir`, which must not exist or be empty. Needs no key: the
 * files stay encrypted, and the key store (or `recover` with the Recovery Key) opens them.
 *
 * Everything is unpacked into a hidden folder beside the target and checked (digest,
 * vault.json, an encrypted database) before one rename puts it in place, so a damaged or
 * truncated backup, a full disk or a crash never leaves half a vault at the target.
 */
export function restoreBackup(backupFile: string, targetDir: string): RestoreResult {
  const file = path.resolve(backupFile);
  const target = path.resolve(targetDir);
  assertEmptyTarget(target);
  const parent = path.dirname(target);
  let staging: string;
  try {
    fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
    staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.restore-`));
  } catch (error) {
    throw fromFsError(error, target);
  }
  let placed = false;
  try {
    fs.chmodSync(staging, 0o700);
    const databaseFile = path.join(staging, VAULT_DB_FILE);
    const out = fs.openSync(databaseFile, 'wx', 0o600);
    let contents;
    try {
      contents = readBackupFile(file, out);
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    const { header, manifest } = contents;
    const parsed = parseVaultManifest(
      manifest.toString('utf8'),
      `the ${VAULT_MANIFEST_FILE} in ${file}`,
    );
    if (parsed.vaultId !== header.vaultId) {
      throw new CofferError('BACKUP_CORRUPT', `${file} holds the vault.json of another vault.`);
    }
    assertEncrypted(databaseFile, file);
    const manifestFile = fs.openSync(path.join(staging, VAULT_MANIFEST_FILE), 'wx', 0o600);
    try {
      fs.writeFileSync(manifestFile, manifest);
      fs.fsyncSync(manifestFile);
    } finally {
      fs.closeSync(manifestFile);
    }
    fsyncDir(staging);
    assertEmptyTarget(target); // nothing appeared there meanwhile
    if (fs.existsSync(target)) fs.rmdirSync(target);
    fs.renameSync(staging, target);
    placed = true;
    fsyncDir(parent);
    return { vaultId: header.vaultId, dir: target, backedUpAt: header.createdAt };
  } catch (error) {
    throw fromFsError(error, target);
  } finally {
    if (!placed) fs.rmSync(staging, { recursive: true, force: true });
  }
}

function assertEmptyTarget(target: string): void {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (!stat.isDirectory()) {
    throw new CofferError('DIRECTORY_NOT_EMPTY', `${target} exists and is not a directory.`);
  }
  if (fs.readdirSync(target).length > 0) {
    throw new CofferError(
      'DIRECTORY_NOT_EMPTY',
      `${target} is not empty; restore into a new or empty folder.`,
    );
  }
}

function assertEncrypted(databaseFile: string, backupFile: string): void {
  const head = Buffer.alloc(PLAIN_SQLITE_HEADER.length);
  const fd = fs.openSync(databaseFile, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.equals(PLAIN_SQLITE_HEADER)) {
    throw new CofferError('BACKUP_CORRUPT', `${backupFile} holds an unencrypted database.`);
  }
}
