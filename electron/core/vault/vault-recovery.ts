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

/** vault.json with `vaultKey` wrapped beside the keys already there (a rotation's first step). */
export function addWrappedKey(dir: string, vaultKey: Buffer): void {
  const manifest = readVaultManifest(dir);
  const recovery = manifest.recovery;
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
export function settleWrappedKey(dir: string, vaultKey: Buffer): void {
  const manifest = readVaultManifest(dir);
  const recovery = manifest.recovery;
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
