import * as path from 'node:path';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { KeyStore } from './key-store.js';
import { parseRecoveryKey } from './recovery-key.js';
import {
  beginExclusiveRekey,
  endExclusiveRekey,
  openEncryptedDatabase,
  rekeyDatabase,
  type SqliteDatabase,
} from './sqlcipher.js';
import { fromSqliteError } from './sqlite-errors.js';
import { assertKeyFileOutside, assertVaultDbFile } from './vault.js';
import { readVaultManifest, vaultDbPath, writeVaultManifest } from './vault-files.js';
import { addWrappedKey, settleRecovery, unwrapWithRecoveryKey } from './vault-recovery.js';

/**
 * - `stored`: the key store had no key for the vault; the recovered one is in it now.
 * - `already-stored`: the key store already held the key that opens the vault.
 * - `re-encrypted`: the key store held another key for this vault id (a copy of the vault
 *   rotated after this one was backed up); this copy now uses that key.
 */
export type RecoverOutcome = 'stored' | 'already-stored' | 're-encrypted';

export interface RecoverResult {
  vaultId: string;
  outcome: RecoverOutcome;
}

/**
 * Opens the vault in `dir` with its Recovery Key and makes the key store open it again.
 * The Recovery Key is checked first (RECOVERY_KEY_MALFORMED for a typo, RECOVERY_KEY_INVALID
 * for another key): nothing is written before it has opened the database.
 *
 * When the key store already holds a different key for this vault id, that key is never
 * replaced: it may be the only key of a newer copy of the vault (the live one, when this is
 * a restored backup from before a rotation). This copy is re-encrypted under it instead, the
 * way a rotation does it (its wrap joins vault.json before the file changes key), so both
 * copies open from the key store and with the Recovery Key.
 */
export async function recoverVault(options: {
  dir: string;
  keyStore: KeyStore;
  recoveryKey: string;
}): Promise<RecoverResult> {
  const dir = path.resolve(options.dir);
  const { keyStore } = options;
  const manifest = readVaultManifest(dir);
  const { vaultId } = manifest;
  assertKeyFileOutside(dir, keyStore);
  assertVaultDbFile(dir);
  const secret = parseRecoveryKey(options.recoveryKey);
  let candidates: Buffer[];
  try {
    candidates = unwrapWithRecoveryKey(manifest, secret);
  } finally {
    secret.fill(0);
  }
  let opened: { db: SqliteDatabase; key: Buffer } | undefined;
  try {
    opened = openWithAny(vaultDbPath(dir), candidates);
    const { db, key } = opened;
    const stored = await storedKey(vaultId, keyStore);
    try {
      let outcome: RecoverOutcome;
      if (stored?.equals(key) === true) {
        settleRecovery(dir, db, key);
        outcome = 'already-stored';
      } else if (stored === null) {
        await keyStore.set(vaultId, key, 'current');
        settleRecovery(dir, db, key);
        outcome = 'stored';
      } else {
        reencrypt(dir, db, stored);
        outcome = 're-encrypted';
      }
      recordKeyStore(dir, keyStore);
      return { vaultId, outcome };
    } finally {
      stored?.fill(0);
    }
  } catch (error) {
    throw fromSqliteError(error);
  } finally {
    opened?.db.close();
    for (const key of candidates) key.fill(0);
  }
}

/** The database is under one of the unwrapped keys; vault.json without it does not belong here. */
function openWithAny(file: string, keys: Buffer[]): { db: SqliteDatabase; key: Buffer } {
  for (const key of keys) {
    try {
      return { db: openEncryptedDatabase(file, key), key };
    } catch (error) {
      if (!(isCofferError(error) && error.code === 'VAULT_KEY_INVALID')) throw error;
    }
  }
  throw new CofferError(
    'VAULT_CORRUPT',
    'The Recovery Key is right, but no key it unwraps from vault.json opens the database: vault.json and the database come from different copies of the vault.',
  );
}

/**
 * The key store's key for the vault, or null. A malformed keychain entry opens nothing
 * anywhere and counts as none; anything a key file holds is left alone, as that path may
 * be some other file.
 */
async function storedKey(vaultId: string, keyStore: KeyStore): Promise<Buffer | null> {
  try {
    return await keyStore.get(vaultId, 'current');
  } catch (error) {
    if (keyStore.kind === 'keychain' && isCofferError(error) && error.code === 'VAULT_KEY_INVALID')
      return null;
    throw error;
  }
}

/** vault.json names where the key now is (a vault moved from a keychain to a key file, say). */
function recordKeyStore(dir: string, keyStore: KeyStore): void {
  const manifest = readVaultManifest(dir);
  if (manifest.keyStore !== keyStore.kind) {
    writeVaultManifest(dir, { ...manifest, keyStore: keyStore.kind });
  }
}

/**
 * The rotation's order: the target key's wrap joins vault.json before the file changes key,
 * and the old one leaves only after. Should this stop half way, the vault opens with the
 * Recovery Key as before and `recover` can simply run again.
 */
function reencrypt(dir: string, db: SqliteDatabase, target: Buffer): void {
  beginExclusiveRekey(db);
  try {
    addWrappedKey(dir, db, target);
    rekeyDatabase(db, target);
    settleRecovery(dir, db, target);
  } finally {
    endExclusiveRekey(db);
  }
}
