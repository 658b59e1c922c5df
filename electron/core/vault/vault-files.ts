import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { fromFsError } from './fs-errors.js';
import { RECOVERY_SCHEME, WrappedKeySchema } from './vault-key-wrap.js';

/** The encrypted SQLCipher 4 database. */
export const VAULT_DB_FILE = 'coffer.vault';
/** Non-secret manifest: which vault this is and where its key lives, readable before unlock. */
export const VAULT_MANIFEST_FILE = 'vault.json';
/**
 * 2: vault.json holds the recovery section (the vault key wrapped to the Recovery Key).
 * A Coffer that reads only version 1 would rotate the key without re-wrapping it, leaving
 * a Recovery Key that opens nothing, so it must refuse these vaults, and does. A version 1
 * vault becomes version 2 when `recovery-key new` gives it a Recovery Key.
 */
export const VAULT_FORMAT_VERSION = 2;

/** Vault keys wrapped to the Recovery Key; more than one only while a rotation is in doubt. */
export const VaultRecoverySchema = z.object({
  scheme: z.literal(RECOVERY_SCHEME),
  /** Raw X25519 public key, base64url. */
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  wrappedKeys: z.array(WrappedKeySchema).min(1).max(16),
});
export type VaultRecovery = z.infer<typeof VaultRecoverySchema>;

export const VaultManifestSchema = z
  .object({
    formatVersion: z.number().int().positive(),
    vaultId: z.string().regex(UUID_PATTERN),
    keyStore: z.enum(['keychain', 'key-file', 'memory']),
    /** Absent only in version 1 vaults, made before Recovery Keys (or given one since). */
    recovery: VaultRecoverySchema.optional(),
    /**
     * Older Recovery Keys that still open the vault while a new one may not have been shown
     * (see new-recovery-key.service.ts); present, possibly empty, only until it has been.
     */
    retiringRecovery: z.array(VaultRecoverySchema).max(8).optional(),
  })
  .refine((manifest) => manifest.formatVersion < 2 || manifest.recovery !== undefined, {
    message: 'a version 2 manifest has a recovery section',
  })
  .refine(
    (manifest) => manifest.recovery !== undefined || manifest.retiringRecovery === undefined,
    {
      message: 'older Recovery Keys are kept only beside a current one',
    },
  );
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
  return parseVaultManifest(text, file);
}

/** Parses vault.json's text; `where` names it in errors. */
export function parseVaultManifest(text: string, where: string): VaultManifest {
  const file = where;
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

export function serializeVaultManifest(manifest: VaultManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

/**
 * Replaces vault.json all-or-nothing (write, fsync, rename, fsync the directory): it holds
 * the wrapped key, so a crash must leave the old file or the new one, never half of one.
 */
export function writeVaultManifest(dir: string, manifest: VaultManifest): void {
  const file = vaultManifestPath(dir);
  const tmp = path.join(dir, `.${VAULT_MANIFEST_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'wx', 0o600);
  } catch (error) {
    throw fromFsError(error, file);
  }
  try {
    try {
      fs.writeFileSync(fd, serializeVaultManifest(manifest));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw fromFsError(error, file);
  }
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
