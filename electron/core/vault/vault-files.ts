import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';

/** The encrypted SQLCipher 4 database. */
export const VAULT_DB_FILE = 'coffer.vault';
/** Non-secret manifest: which vault this is and where its key lives, readable before unlock. */
export const VAULT_MANIFEST_FILE = 'vault.json';
export const VAULT_FORMAT_VERSION = 1;

export const VaultManifestSchema = z.object({
  formatVersion: z.number().int().positive(),
  vaultId: z.string().regex(UUID_PATTERN),
  keyStore: z.enum(['keychain', 'key-file', 'memory']),
});
export type VaultManifest = z.infer<typeof VaultManifestSchema>;

export function vaultDbPath(dir: string): string {
  return path.join(dir, VAULT_DB_FILE);
}

export function vaultManifestPath(dir: string): string {
  return path.join(dir, VAULT_MANIFEST_FILE);
}

/** Reads vault.json; VAULT_NOT_FOUND when absent, VAULT_CORRUPT when unreadable, VAULT_TOO_NEW when from a newer Coffer. */
export function readVaultManifest(dir: string): VaultManifest {
  const file = vaultManifestPath(dir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      throw new CofferError(
        'VAULT_NOT_FOUND',
        `No vault in ${dir} (${VAULT_MANIFEST_FILE} is missing). Create one with "init".`,
      );
    }
    if (
      (error as NodeJS.ErrnoException).code === 'EACCES' ||
      (error as NodeJS.ErrnoException).code === 'EPERM'
    ) {
      throw new CofferError('VAULT_IO_ERROR', `${file} cannot be read: permission denied.`);
    }
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CofferError('VAULT_CORRUPT', `${file} is not valid JSON.`);
  }
  const version = (raw as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version > VAULT_FORMAT_VERSION) {
    throw new CofferError(
      'VAULT_TOO_NEW',
      `${file} has format version ${version}; this Coffer reads version ${VAULT_FORMAT_VERSION}. Update Coffer.`,
    );
  }
  const parsed = VaultManifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new CofferError('VAULT_CORRUPT', `${file} is not a valid vault manifest.`, {
      issues: parsed.error.issues,
    });
  }
  return parsed.data;
}

export function writeVaultManifest(dir: string, manifest: VaultManifest): void {
  const file = vaultManifestPath(dir);
  const tmp = path.join(dir, `.${VAULT_MANIFEST_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(manifest, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Files SQLite keeps beside the database; removed with it when a vault is discarded. */
export function vaultDbFiles(dir: string): string[] {
  const db = vaultDbPath(dir);
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];
}
