import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { faultPoint } from './fault-injection.js';
import type { KeyStore } from './key-store.js';
import { formatRecoveryKey, generateRecoverySecret } from './recovery-key.js';
import {
  MAX_RETIRING_KEYS,
  readRecoveryState,
  serializeRetiring,
  type RecoveryState,
} from './recovery-state.js';
import {
  beginExclusiveRekey,
  connectionKeyId,
  endExclusiveRekey,
  type SqliteDatabase,
} from './sqlcipher.js';
import { fromSqliteError } from './sqlite-errors.js';
import type { Vault } from './vault.js';
import { readVaultManifest, writeVaultManifest } from './vault-files.js';
import { recoveryKeyPair, vaultKeyId } from './vault-key-wrap.js';
import { deleteMeta, setMeta } from './vault-meta.js';
import { manifestFor, settleRecovery } from './vault-recovery.js';

export interface NewRecoveryKeyResult {
  vaultId: string;
  /** False for a vault made before Recovery Keys: this is its first. */
  replaced: boolean;
}

/** What is shown to the user, once, as soon as the new Recovery Key is in force. */
export interface ShownRecoveryKey extends NewRecoveryKeyResult {
  recoveryKey: string;
}

/**
 * Gives an open vault a new Recovery Key, which from then on is the only one that opens the
 * vault's current key; for a vault made before Recovery Keys (vault.json format 1) it is the
 * first, and vault.json becomes format 2. Backups keep their own vault.json, so each still
 * opens with the Recovery Key of its time.
 *
 * The steps keep two promises whatever step a crash interrupts: the vault opens from its key
 * store, and the Recovery Key the user last saw opens it without one. The key is shown only
 * once it is in force, and the older ones go only after it was shown:
 *
 *   0. hold the database exclusively (no other process can open, settle or rotate it meanwhile)
 *   1. new public key → meta `pending`           crash: undone at open, as if never begun
 *   2. vault.json: the new key's section, the    crash: undone at open (the key was never
 *      older keys' sections kept beside it             shown); older keys open it meanwhile
 *   3. meta: the new key in force, the older     crash: both open it; `status` says the
 *      ones recorded as retiring                        change did not finish
 *   4. the key is shown                          crash: as 3
 *   5. vault.json: older keys' sections dropped  crash: the next open confirms the change
 *   6. meta: retiring keys forgotten
 *
 * Every public key vault.json names is in the database before vault.json names it, and is
 * forgotten there only after vault.json dropped it, so a vault.json naming any other key is
 * refused (see assertTrustedRecovery), at every step.
 */
export async function newRecoveryKey(
  vault: Vault,
  keyStore: KeyStore,
  show: (shown: ShownRecoveryKey) => void | Promise<void>,
): Promise<NewRecoveryKeyResult> {
  const { db, dir, vaultId } = vault;
  beginExclusiveRekey(db);
  let vaultKey: Buffer | undefined;
  let retiringOlder = false;
  try {
    vaultKey = await keyOfConnection(db, vaultId, keyStore);
    settleRecovery(dir, db, vaultKey);
    const before = readRecoveryState(db);
    const retiring = olderKeys(before);
    const { publicKey, recoveryKey } = freshRecoveryKey(vaultId);

    db.transaction(() => setMeta(db, 'recovery_public_key_pending', publicKey)).immediate();
    faultPoint('recovery-key:after-pending');

    writeVaultManifest(dir, manifestFor(readVaultManifest(dir), publicKey, retiring, vaultKey));
    faultPoint('recovery-key:after-manifest');

    db.transaction(() => {
      setMeta(db, 'recovery_public_key', publicKey);
      setMeta(db, 'recovery_public_keys_retiring', serializeRetiring(retiring));
      deleteMeta(db, 'recovery_public_key_pending');
    }).immediate();
    faultPoint('recovery-key:after-promote');

    const result = { vaultId, replaced: before.current !== null };
    // Should showing fail, the user may not have the key: the older ones stay, and `status`
    // says the change did not finish.
    await show({ ...result, recoveryKey });
    faultPoint('recovery-key:after-show');

    retiringOlder = true;
    writeVaultManifest(dir, manifestFor(readVaultManifest(dir), publicKey, null, vaultKey));
    faultPoint('recovery-key:after-retire');
    db.transaction(() => deleteMeta(db, 'recovery_public_keys_retiring')).immediate();
    return result;
  } catch (error) {
    const cause = fromSqliteError(error);
    if (!retiringOlder) {
      if (vaultKey !== undefined) undoQuietly(dir, db, vaultKey);
      throw cause;
    }
    const code = isCofferError(cause) ? cause.code : 'INTERNAL';
    throw new CofferError(
      code,
      'The new Recovery Key shown above is in force, but the older one could not be retired and opens this vault too. Run "coffer recovery-key new" again once the cause is fixed, and keep only the key it shows.',
      { cause: code },
    );
  } finally {
    vaultKey?.fill(0);
    endExclusiveRekey(db);
  }
}

/** The vault key, from the key store, once it is known to be the one `db` is under. */
async function keyOfConnection(
  db: SqliteDatabase,
  vaultId: string,
  keyStore: KeyStore,
): Promise<Buffer> {
  const key = await keyStore.get(vaultId, 'current');
  if (key !== null && vaultKeyId(key) === connectionKeyId(db)) return key;
  key?.fill(0);
  throw new CofferError(
    'VAULT_KEY_INVALID',
    `The key store's key for vault ${vaultId} is not the one the vault is open with; open it again and retry.`,
    { vaultId, keyStore: keyStore.kind },
  );
}

function freshRecoveryKey(vaultId: string): { publicKey: string; recoveryKey: string } {
  const secret = generateRecoverySecret();
  try {
    return {
      publicKey: recoveryKeyPair(secret, vaultId).publicKey.toString('base64url'),
      recoveryKey: formatRecoveryKey(secret),
    };
  } finally {
    secret.fill(0);
  }
}

/**
 * The keys that keep opening the vault until the new one is shown: the one in force, and
 * those an earlier unfinished change kept (the user may hold any of them). Each interrupted
 * change adds one; past the limit the first stays, as it is the last one known to be shown.
 */
function olderKeys(state: RecoveryState): string[] {
  const keys = [...(state.retiring ?? [])];
  if (state.current !== null && !keys.includes(state.current)) keys.push(state.current);
  if (keys.length > MAX_RETIRING_KEYS) keys.splice(1, keys.length - MAX_RETIRING_KEYS);
  return keys;
}

/** What a failed change left is settled now (a key not yet in force is undone), or at the next open. */
function undoQuietly(dir: string, db: SqliteDatabase, vaultKey: Buffer): void {
  try {
    settleRecovery(dir, db, vaultKey);
  } catch {
    // the next open settles it the same way
  }
}
