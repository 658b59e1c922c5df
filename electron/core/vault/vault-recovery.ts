import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { formatRecoveryKey, generateRecoverySecret } from './recovery-key.js';
import { readRecoveryState, type RecoveryState } from './recovery-state.js';
import {
  RECOVERY_SCHEME,
  recoveryKeyPair,
  unwrapVaultKey,
  vaultKeyId,
  wrapVaultKey,
  type WrappedKey,
} from './vault-key-wrap.js';
import type { SqliteDatabase } from './sqlcipher.js';
import { deleteMeta } from './vault-meta.js';
import {
  VAULT_FORMAT_VERSION,
  readVaultManifest,
  writeVaultManifest,
  type VaultManifest,
  type VaultRecovery,
} from './vault-files.js';

/**
 * The recovery sections of vault.json over a vault's life. The rule every step keeps: each
 * section's wrapped keys include the key the database is under, whatever step a crash
 * interrupts. A rotation therefore adds the new key's wrap before the database changes key
 * and drops the old one only after, and every open settles vault.json on the one key that
 * opened the database.
 *
 * vault.json has one section per Recovery Key that opens the vault: `recovery`, the one in
 * force, and, only while a new one may not have been shown yet, `retiringRecovery` for older
 * ones (new-recovery-key.service.ts).
 */

/** A fresh Recovery Key for a vault: the text to show once, and its vault.json section. */
export function createRecovery(
  vaultId: string,
  vaultKey: Buffer,
): { recoveryKey: string; recovery: VaultRecovery } {
  const secret = generateRecoverySecret();
  try {
    const { publicKey } = recoveryKeyPair(secret, vaultId);
    return {
      recoveryKey: formatRecoveryKey(secret),
      recovery: sectionFor(publicKey.toString('base64url'), vaultId, vaultKey),
    };
  } finally {
    secret.fill(0);
  }
}

/**
 * vault.json is not encrypted: whoever can write it could put their own public key there and
 * have the next rotation (or repair) wrap the vault key for them. The public keys a vault's
 * Recovery Keys stand for are also kept in the encrypted database, where only the vault key
 * can change them, and a vault key is wrapped only to those. VAULT_CORRUPT when vault.json
 * names another.
 */
export function assertTrustedRecovery(manifest: VaultManifest, state: RecoveryState): void {
  const inForce = [state.current, state.pending].filter((key): key is string => key !== null);
  const older = [...(state.retiring ?? []), ...(state.current === null ? [] : [state.current])];
  const untrusted =
    (manifest.recovery !== undefined && !inForce.includes(manifest.recovery.publicKey)) ||
    (manifest.retiringRecovery ?? []).some((section) => !older.includes(section.publicKey));
  if (untrusted) {
    throw new CofferError(
      'VAULT_CORRUPT',
      "vault.json names a Recovery Key that is not this vault's: it was altered or comes from another vault. Restore it from a backup; the vault key was not wrapped to it.",
    );
  }
}

/** vault.json with `vaultKey` wrapped beside the keys already there (a rotation's first step). */
export function addWrappedKey(dir: string, db: SqliteDatabase, vaultKey: Buffer): void {
  const manifest = readVaultManifest(dir);
  assertTrustedRecovery(manifest, readRecoveryState(db));
  if (manifest.recovery === undefined) return;
  const keyId = vaultKeyId(vaultKey);
  let changed = false;
  const withKey = (section: VaultRecovery): VaultRecovery => {
    if (section.wrappedKeys.some((wrapped) => wrapped.keyId === keyId)) return section;
    changed = true;
    const wrappedKeys = [...section.wrappedKeys, wrapFor(section, manifest.vaultId, vaultKey)];
    return { ...section, wrappedKeys };
  };
  const next: VaultManifest = { ...manifest, recovery: withKey(manifest.recovery) };
  if (manifest.retiringRecovery !== undefined) {
    next.retiringRecovery = manifest.retiringRecovery.map(withKey);
  }
  if (changed) writeVaultManifest(dir, next);
}

/**
 * Brings vault.json in line with the database, once the database is known to be under
 * `vaultKey`: after a rotation, after a recovery, and at every open, which finishes whatever
 * a crash left.
 * - Each section keeps only `vaultKey`'s wrap (a rotation's stale wrap goes).
 * - A Recovery Key still pending never came into force and was never shown: it is undone,
 *   and the key before it is in force again.
 * - Older keys leave vault.json only after the new key was shown, so when they are gone from
 *   it the change is confirmed in the database too.
 * Sections are built only for the public keys the database vouches for, so a vault.json put
 * back from elsewhere is repaired, and an altered one refused, never wrapped to.
 */
export function settleRecovery(dir: string, db: SqliteDatabase, vaultKey: Buffer): void {
  const manifest = readVaultManifest(dir);
  const state = readRecoveryState(db);
  assertTrustedRecovery(manifest, state);
  const undo = state.pending !== null;
  const confirmed = !undo && state.retiring !== null && manifest.retiringRecovery === undefined;
  const settled = manifestFor(manifest, state.current, confirmed ? null : state.retiring, vaultKey);
  if (shapeOf(settled) !== shapeOf(manifest)) writeVaultManifest(dir, settled);
  if (undo || confirmed) {
    db.transaction(() => {
      deleteMeta(db, 'recovery_public_key_pending');
      if (confirmed) deleteMeta(db, 'recovery_public_keys_retiring');
    }).immediate();
  }
}

/**
 * vault.json for these Recovery Keys (public keys from the database), each section holding
 * `vaultKey`'s wrap; a wrap already there is kept as it is. No key in force: format 1, the
 * vault.json of a vault made before Recovery Keys.
 */
export function manifestFor(
  manifest: VaultManifest,
  current: string | null,
  retiring: readonly string[] | null,
  vaultKey: Buffer,
): VaultManifest {
  const base = { vaultId: manifest.vaultId, keyStore: manifest.keyStore };
  if (current === null) return { formatVersion: 1, ...base };
  const existing = [manifest.recovery, ...(manifest.retiringRecovery ?? [])];
  const section = (publicKey: string): VaultRecovery =>
    sectionFor(
      publicKey,
      manifest.vaultId,
      vaultKey,
      existing.find((found) => found?.publicKey === publicKey),
    );
  return {
    formatVersion: VAULT_FORMAT_VERSION,
    ...base,
    recovery: section(current),
    ...(retiring === null ? {} : { retiringRecovery: retiring.map(section) }),
  };
}

/**
 * Every vault key the Recovery Key unwraps from vault.json, oldest first: while a rotation's
 * hot journal exists the file is still under the older key, which must open it first (as
 * in vault-unlock.ts), so that SQLite rolls the journal back under the right key.
 * RECOVERY_NOT_SET_UP for a vault that has no Recovery Key; RECOVERY_KEY_INVALID when the
 * Recovery Key opens none (it belongs to another vault, or was replaced).
 */
export function unwrapWithRecoveryKey(manifest: VaultManifest, secret: Buffer): Buffer[] {
  if (manifest.recovery === undefined) {
    throw new CofferError(
      'RECOVERY_NOT_SET_UP',
      'This vault has no Recovery Key (it was made before Recovery Keys existed), so none can open it. While its key is still in this computer\'s key store, make one with "coffer recovery-key new".',
    );
  }
  const pair = recoveryKeyPair(secret, manifest.vaultId);
  const publicKey = pair.publicKey.toString('base64url');
  const keys = [manifest.recovery, ...(manifest.retiringRecovery ?? [])]
    .filter((section) => section.publicKey === publicKey)
    .flatMap((section) => section.wrappedKeys)
    .sort((a, b) => a.generation - b.generation)
    .map((wrapped) => unwrapVaultKey(wrapped, pair, manifest.vaultId))
    .filter((key): key is Buffer => key !== null);
  if (keys.length === 0) {
    throw new CofferError(
      'RECOVERY_KEY_INVALID',
      'This Recovery Key does not open this vault. Check that it is the latest one shown for it (by "init" or "recovery-key new"); a backup opens with the Recovery Key of its time.',
      { vaultId: manifest.vaultId },
    );
  }
  return keys;
}

/**
 * - `set-up`: one Recovery Key opens the vault.
 * - `none`: the vault was made before Recovery Keys and was not given one.
 * - `unfinished`: `recovery-key new` stopped half way; older Recovery Keys may still open it.
 * - `mismatch`: vault.json's Recovery Key is not the one the database records, so it cannot
 *   be used (vault.json was altered, or comes from another copy of the vault).
 */
export type RecoveryKeyStatus = 'set-up' | 'none' | 'unfinished' | 'mismatch';

export function recoveryKeyStatus(dir: string, db: SqliteDatabase): RecoveryKeyStatus {
  const manifest = readVaultManifest(dir);
  const state = readRecoveryState(db);
  try {
    assertTrustedRecovery(manifest, state);
  } catch (error) {
    if (isCofferError(error) && error.code === 'VAULT_CORRUPT') return 'mismatch';
    throw error;
  }
  if (state.pending !== null || state.retiring !== null) return 'unfinished';
  if (state.current === null) return 'none';
  return manifest.recovery?.publicKey === state.current ? 'set-up' : 'mismatch';
}

/** One Recovery Key's section holding `vaultKey`'s wrap, kept from `existing` when it has one. */
function sectionFor(
  publicKey: string,
  vaultId: string,
  vaultKey: Buffer,
  existing?: VaultRecovery,
): VaultRecovery {
  const keyId = vaultKeyId(vaultKey);
  const kept = existing?.wrappedKeys.find((wrapped) => wrapped.keyId === keyId);
  const wrapped =
    kept ??
    (existing === undefined
      ? wrapVaultKey(vaultKey, Buffer.from(publicKey, 'base64url'), vaultId, 1)
      : wrapFor(existing, vaultId, vaultKey));
  return { scheme: RECOVERY_SCHEME, publicKey, wrappedKeys: [wrapped] };
}

function wrapFor(recovery: VaultRecovery, vaultId: string, vaultKey: Buffer): WrappedKey {
  const generation = Math.max(...recovery.wrappedKeys.map((wrapped) => wrapped.generation)) + 1;
  return wrapVaultKey(vaultKey, Buffer.from(recovery.publicKey, 'base64url'), vaultId, generation);
}

/** What of vault.json the recovery steps decide: which keys are wrapped to which public keys. */
function shapeOf(manifest: VaultManifest): string {
  const section = (recovery: VaultRecovery) => [
    recovery.publicKey,
    recovery.wrappedKeys.map((wrapped) => `${wrapped.keyId}/${wrapped.generation}`),
  ];
  return JSON.stringify([
    manifest.formatVersion,
    manifest.keyStore,
    manifest.recovery === undefined ? null : section(manifest.recovery),
    manifest.retiringRecovery?.map(section) ?? null,
  ]);
}
