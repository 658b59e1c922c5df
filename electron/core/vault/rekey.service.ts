import { randomBytes } from 'node:crypto';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { faultPoint } from './fault-injection.js';
import { VAULT_KEY_BYTES, type KeyStore } from './key-store.js';
import { beginExclusiveRekey, endExclusiveRekey, rekeyDatabase } from './sqlcipher.js';
import { addWrappedKey, settleRecovery } from './vault-recovery.js';
import { openVault, type Vault } from './vault.js';
import { requireMeta, setMeta } from './vault-meta.js';

const DAY_MS = 86_400_000;
/** Keys are rotated once they are a year old. */
export const KEY_MAX_AGE_DAYS = 365;

export interface RekeyResult {
  vaultId: string;
  keyCreatedAt: number;
}

/**
 * Rotates the vault key (`PRAGMA rekey`) and the key store so that a crash at any point
 * leaves a key store entry that opens the vault:
 *
 *   0. lock the database exclusively (no other process can open it meanwhile)
 *   1. new key → key store slot `next`               crash: current key opens the file
 *   2. new key wrapped into vault.json, beside the   crash: as 1; the Recovery Key unwraps both
 *      current one
 *   3. PRAGMA rekey (one transaction)                crash: current or, after commit, next opens it
 *   4. new key → key store slot `current` (promote)  crash: both slots hold the new key
 *   5. delete slot `next`, then the old key's wrap
 *
 * openVault (vault-unlock.ts) finishes the job after a crash: it tries `current`, then
 * `next`, promotes `next` when only it works, and drops a stale `next`; then it leaves in
 * vault.json only the wrap of the key that opened the file. At every step vault.json holds
 * a wrap of the key the file is under, so the Recovery Key opens the vault even when the
 * key store is lost mid-rotation.
 * Accepts an open vault (used in place, stays open) or a vault directory (opened and closed).
 */
export async function rekeyVault(target: Vault | string, keyStore: KeyStore): Promise<RekeyResult> {
  if (typeof target === 'string') {
    const vault = await openVault({ dir: target, keyStore });
    try {
      return await rekeyOpenVault(vault, keyStore);
    } finally {
      vault.close();
    }
  }
  return rekeyOpenVault(target, keyStore);
}

async function rekeyOpenVault(vault: Vault, keyStore: KeyStore): Promise<RekeyResult> {
  const { db, vaultId } = vault;
  const newKey = randomBytes(VAULT_KEY_BYTES);
  beginExclusiveRekey(db);
  try {
    await keyStore.set(vaultId, newKey, 'next');
    faultPoint('rekey:after-pending');
    try {
      addWrappedKey(vault.dir, db, newKey);
      faultPoint('rekey:after-wrap');
      rekeyDatabase(db, newKey);
    } catch (error) {
      // Not rekeyed: the file is still under the current key, so the pending key is useless.
      // The new key's wrap stays in vault.json: were that judgement ever wrong, it would be
      // the only way back in, and the next open drops it once the old key has opened the file.
      await keyStore.delete(vaultId, 'next').catch(() => false);
      throw error;
    }
    faultPoint('rekey:after-rekey');

    // From here the file only opens with the new key, which is safe in slot `next`. A
    // failure below is finished by the next open, so it must not be reported as "not rekeyed".
    const keyCreatedAt = vault.now();
    db.transaction(() => setMeta(db, 'key_created_at', String(keyCreatedAt))).immediate();
    await keyStore.set(vaultId, newKey, 'current');
    faultPoint('rekey:after-promote');
    await keyStore.delete(vaultId, 'next');
    settleRecovery(vault.dir, db, newKey);
    return { vaultId, keyCreatedAt };
  } catch (error) {
    if (isCofferError(error)) throw error;
    // A driver message can quote the statement, and this one carries the new key.
    throw new CofferError(
      'INTERNAL',
      'Key rotation did not complete; the next open finishes or undoes it.',
    );
  } finally {
    newKey.fill(0);
    endExclusiveRekey(db);
  }
}

/** When the vault's current key was made (UTC ms). */
export function keyCreatedAt(vault: Vault): number {
  const value = Number(requireMeta(vault.db, 'key_created_at'));
  if (!Number.isSafeInteger(value)) {
    throw new CofferError('VAULT_CORRUPT', 'The vault records an invalid key creation time.');
  }
  return value;
}

/** Whole days since the current key was made. */
export function keyAgeDays(vault: Vault, now: number = vault.now()): number {
  return Math.max(0, Math.floor((now - keyCreatedAt(vault)) / DAY_MS));
}

/** True once the key is more than a year old. */
export function needsRotation(vault: Vault, now: number = vault.now()): boolean {
  return now - keyCreatedAt(vault) > KEY_MAX_AGE_DAYS * DAY_MS;
}
