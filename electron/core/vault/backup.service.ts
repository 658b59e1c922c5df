import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { writeBackupFile } from './backup-file.js';
import { fromFsError } from './fs-errors.js';
import { isSameOrInside, resolveThroughLinks } from './real-path.js';
import { connectionKeyId } from './sqlcipher.js';
import { fromSqliteError } from './sqlite-errors.js';
import type { Vault } from './vault.js';
import {
  fsyncDir,
  readVaultManifest,
  serializeVaultManifest,
  type VaultManifest,
  type VaultRecovery,
} from './vault-files.js';

export const BACKUP_FILE_MODE = 0o600;

export interface BackupResult {
  vaultId: string;
  file: string;
  bytes: number;
  createdAt: number;
}

/**
 * Writes a backup of an open vault to `outFile` (replaced all-or-nothing, mode 0600): the
 * encrypted database and the vault.json that opens it with the Recovery Key.
 *
 * The copy is SQLite's `VACUUM INTO`, run on this connection: it reads one consistent
 * snapshot while other processes go on writing (a WAL reader blocks no writer), and SQLite3
 * Multiple Ciphers attaches the target with the source's cipher and key, so every page is
 * encrypted again as it is written; no plaintext reaches the disk. While this connection is
 * open no other process can rotate the key (a rotation needs the vault to itself), so the
 * key the copy is under is the key this connection opened, and the backup's vault.json keeps
 * exactly that key's wrap.
 */
export function backupVault(vault: Vault, outFile: string): BackupResult {
  const target = path.resolve(outFile);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) {
    throw new CofferError('FILE_NOT_FOUND', `The directory ${dir} does not exist.`);
  }
  if (fs.statSync(target, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw new CofferError('INVALID_INPUT', `${target} is a directory; name the backup file.`);
  }
  if (isSameOrInside(resolveThroughLinks(vault.dir), resolveThroughLinks(target))) {
    throw new CofferError(
      'INVALID_INPUT',
      'Write the backup outside the vault directory: a backup kept with the vault is lost with it.',
    );
  }
  if (vault.db.inTransaction) {
    throw new CofferError('INVALID_STATE', 'A backup cannot be taken inside a transaction.');
  }
  const createdAt = vault.now();
  const manifest = backupManifest(vault);
  let staging: string;
  try {
    staging = fs.mkdtempSync(path.join(dir, '.coffer-backup-'));
  } catch (error) {
    throw fromFsError(error, target);
  }
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const copy = path.join(staging, 'coffer.vault');
    try {
      vault.db.prepare('VACUUM INTO ?').run(copy);
    } catch (error) {
      throw fromSqliteError(error);
    }
    const fd = fs.openSync(temp, 'wx', BACKUP_FILE_MODE);
    let bytes: number;
    try {
      fs.fchmodSync(fd, BACKUP_FILE_MODE); // the umask may narrow it, never widen it
      bytes = writeBackupFile(fd, { vaultId: vault.vaultId, createdAt }, manifest, copy);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    fsyncDir(dir);
    return { vaultId: vault.vaultId, file: target, bytes, createdAt };
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw fromFsError(error, target);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * vault.json as the backup carries it: in each Recovery Key's section (older ones kept while
 * a change is unfinished included), only the wrap of the key the copy is under.
 */
function backupManifest(vault: Vault): Buffer {
  const manifest = readVaultManifest(vault.dir);
  if (manifest.recovery === undefined) return Buffer.from(serializeVaultManifest(manifest));
  const keyId = connectionKeyId(vault.db);
  const onlyThisKey = (section: VaultRecovery): VaultRecovery => {
    const wrappedKeys = section.wrappedKeys.filter((wrapped) => wrapped.keyId === keyId);
    if (wrappedKeys.length === 0) {
      // Every open settles vault.json on the key it opened with; only an outside edit undoes that.
      throw new CofferError(
        'VAULT_CORRUPT',
        'vault.json holds no Recovery Key wrap of the key the database is under, so a backup could not be recovered. Close Coffer everywhere, open the vault once, and try again.',
      );
    }
    return { ...section, wrappedKeys };
  };
  const copy: VaultManifest = { ...manifest, recovery: onlyThisKey(manifest.recovery) };
  if (manifest.retiringRecovery !== undefined) {
    copy.retiringRecovery = manifest.retiringRecovery.map(onlyThisKey);
  }
  return Buffer.from(serializeVaultManifest(copy));
}
