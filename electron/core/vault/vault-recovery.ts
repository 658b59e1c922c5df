import { CofferError } from '../../../shared/errors/coffer-error.js';
import { formatRecoveryKey, generateRecoverySecret } from './recovery-key.js';
import {
  RECOVERY_SCHEME,
  recoveryKeyPair,
  unwrapVaultKey,
  vaultKeyId,
  wrapVaultKey,
  type WrappedKey,
} from './vault-key-wrap.js';
import type { SqliteDatabase } from './sqlcipher.js';
import { getMeta } from './vault-meta.js';
import {
  readVaultManifest,
  writeVaultManifest,
  type VaultManifest,
  type VaultRecovery,
} from './vault-files.js';

/**
 * The recovery section of vault.json over a vault's life. The rule every step keeps: the
 * wrapped keys in vault.json include the key the database is under, whatever step a crash
 * interrupts. A rotation therefore adds the new key's wrap before the database changes key
 * and drops the old one only after, and every open settles vault.json on the one key that
 * opened the database.
 */

/** A fresh Recovery Key for a new vault: the text to show once, and what vault.json keeps. */
export function createRecovery(
  vaultId: string,
  vaultKey: Buffer,
): { recoveryKey: string; recovery: VaultRecovery } {
  const secret = generateRecoverySecret();
  try {
    const { publicKey } = recoveryKeyPair(secret, vaultId);
    return {
      recoveryKey: formatRecoveryKey(secret),
      recovery: {
        scheme: RECOVERY_SCHEME,
        publicKey: publicKey.toString('base64url'),
        wrappedKeys: [wrapVaultKey(vaultKey, publicKey, vaultId, 1)],
      },
    };
  } finally {
    secret.fill(0);
  }
}

/**
 * The recovery section of vault.json, once its public key is known to be this vault's.
 * vault.json is not encrypted: whoever can write it could put their own public key there and
 * have the next rotation (or repair) wrap the vault key for them. The public key made at init
 * is also kept in the encrypted database, where only the vault key can change it, and a
 * vault key is wrapped only to that one. VAULT_CORRUPT when they differ.
 */
function trustedRecovery(manifest: VaultManifest, db: SqliteDatabase): VaultRecovery | undefined {
  const recovery = manifest.recovery;
  if (recovery === undefined) return undefined;
  if (getMeta(db, 'recovery_public_key') !== recovery.publicKey) {
    throw new CofferError(
      'VAULT_CORRUPT',
      "vault.json names a Recovery Key that is not this vault's: it was altered or comes from another vault. Restore it from a backup; the vault key was not wrapped to it.",
    );
  }
  return recovery;
}

/** vault.json with `vaultKey` wrapped beside the keys already there (a rotation's first step). */
export function addWrappedKey(dir: string, db: SqliteDatabase, vaultKey: Buffer): void {
  const manifest = readVaultManifest(dir);
  const recovery = trustedRecovery(manifest, db);
  if (recovery === undefined) return;
  const keyId = vaultKeyId(vaultKey);
  if (recovery.wrappedKeys.some((wrapped) => wrapped.keyId === keyId)) return;
  const wrappedKeys = [...recovery.wrappedKeys, wrapFor(recovery, manifest.vaultId, vaultKey)];
  writeVaultManifest(dir, { ...manifest, recovery: { ...recovery, wrappedKeys } });
}

/**
 * Leaves only `vaultKey`'s wrap in vault.json, adding it if missing. Called once the
 * database is known to be under that key: after a rotation, and at every open, which
 * finishes whatever a crash left (a stale wrap, or a vault.json put back from elsewhere).
 */
export function settleWrappedKey(dir: string, db: SqliteDatabase, vaultKey: Buffer): void {
  const manifest = readVaultManifest(dir);
  const recovery = trustedRecovery(manifest, db);
  if (recovery === undefined) return;
  const keyId = vaultKeyId(vaultKey);
  const kept = recovery.wrappedKeys.filter((wrapped) => wrapped.keyId === keyId).slice(0, 1);
  if (kept.length === 1 && recovery.wrappedKeys.length === 1) return;
  const wrappedKeys = kept.length === 1 ? kept : [wrapFor(recovery, manifest.vaultId, vaultKey)];
  writeVaultManifest(dir, { ...manifest, recovery: { ...recovery, wrappedKeys } });
}

/**
 * Every vault key the Recovery Key unwraps from vault.json, oldest first: while a rotation's
 * hot journal exists the file is still under the older key, which must open it first (as
 * in vault-unlock.ts), so that SQLite rolls the journal back under the right key.
 * RECOVERY_NOT_SET_UP for a vault made before Recovery Keys; RECOVERY_KEY_INVALID when the
 * Recovery Key opens none (it belongs to another vault, or is not the one shown at init).
 */
export function unwrapWithRecoveryKey(manifest: VaultManifest, secret: Buffer): Buffer[] {
  const recovery = manifest.recovery;
  if (recovery === undefined) {
    throw new CofferError(
      'RECOVERY_NOT_SET_UP',
      'This vault was made before Recovery Keys existed, so none can open it.',
    );
  }
  const pair = recoveryKeyPair(secret, manifest.vaultId);
  const keys = [...recovery.wrappedKeys]
    .sort((a, b) => a.generation - b.generation)
    .map((wrapped) => unwrapVaultKey(wrapped, pair, manifest.vaultId))
    .filter((key): key is Buffer => key !== null);
  if (keys.length === 0) {
    throw new CofferError(
      'RECOVERY_KEY_INVALID',
      'This Recovery Key does not open this vault. Check that it is the one shown when the vault was created.',
      { vaultId: manifest.vaultId },
    );
  }
  return keys;
}

function wrapFor(recovery: VaultRecovery, vaultId: string, vaultKey: Buffer): WrappedKey {
  const generation = Math.max(...recovery.wrappedKeys.map((wrapped) => wrapped.generation)) + 1;
  return wrapVaultKey(vaultKey, Buffer.from(recovery.publicKey, 'base64url'), vaultId, generation);
}
