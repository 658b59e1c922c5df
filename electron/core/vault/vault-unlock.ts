import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { KeySlot, KeyStore } from './key-store.js';
import { openEncryptedDatabase, type SqliteDatabase } from './sqlcipher.js';

/** An open connection and the key it is under; the caller zero-fills `key` when done with it. */
export interface UnlockedDatabase {
  db: SqliteDatabase;
  key: Buffer;
}

/**
 * Opens the vault database with the key from the key store, finishing an interrupted
 * rekey on the way (protocol in rekey.service.ts):
 * - the current key opens the file → a leftover `next` key is stale and is removed;
 * - the current key is refused but the `next` key opens the file → the rekey reached the
 *   database but not the key store: `next` is promoted to current, then removed.
 * The current key is tried first: while a rekey's hot journal exists the file is, by
 * definition, still under the current key.
 */
export async function unlockDatabase(
  file: string,
  vaultId: string,
  keyStore: KeyStore,
): Promise<UnlockedDatabase> {
  const opened = await tryKey(file, vaultId, keyStore, 'current');
  if (opened.unlocked !== null) {
    await discardStaleNextKey(vaultId, keyStore);
    return opened.unlocked;
  }
  const recovered = await tryKey(file, vaultId, keyStore, 'next');
  if (recovered.unlocked !== null) {
    try {
      await promoteNextKey(vaultId, keyStore);
    } catch (error) {
      recovered.unlocked.db.close();
      recovered.unlocked.key.fill(0);
      throw error;
    }
    return recovered.unlocked;
  }
  if (opened.found || recovered.found) {
    // A rekey in another process may have finished between our reads: look once more.
    const retry = await tryKey(file, vaultId, keyStore, 'current');
    if (retry.unlocked !== null) return retry.unlocked;
    throw new CofferError(
      'VAULT_KEY_INVALID',
      `The key stored for vault ${vaultId} does not open ${file}.`,
      {
        vaultId,
        keyStore: keyStore.kind,
      },
    );
  }
  throw new CofferError('KEY_NOT_FOUND', keyNotFoundMessage(vaultId, keyStore), {
    vaultId,
    keyStore: keyStore.kind,
  });
}

async function tryKey(
  file: string,
  vaultId: string,
  keyStore: KeyStore,
  slot: KeySlot,
): Promise<{ found: boolean; unlocked: UnlockedDatabase | null }> {
  const key = await keyStore.get(vaultId, slot);
  if (key === null) return { found: false, unlocked: null };
  try {
    return { found: true, unlocked: { db: openEncryptedDatabase(file, key), key } };
  } catch (error) {
    key.fill(0);
    if (isCofferError(error) && error.code === 'VAULT_KEY_INVALID')
      return { found: true, unlocked: null };
    throw error;
  }
}

async function promoteNextKey(vaultId: string, keyStore: KeyStore): Promise<void> {
  const next = await keyStore.get(vaultId, 'next');
  if (next === null) return; // promoted meanwhile by another process
  try {
    await keyStore.set(vaultId, next, 'current');
    await keyStore.delete(vaultId, 'next');
  } finally {
    next.fill(0);
  }
}

async function discardStaleNextKey(vaultId: string, keyStore: KeyStore): Promise<void> {
  try {
    await keyStore.delete(vaultId, 'next');
  } catch {
    // A stale pending key is harmless; the next open or rekey removes or overwrites it.
  }
}

function keyNotFoundMessage(vaultId: string, keyStore: KeyStore): string {
  switch (keyStore.kind) {
    case 'keychain':
      return `The key of vault ${vaultId} is not in the OS keychain. If the vault was created with --key-file, pass that file again.`;
    case 'key-file':
      return `The key file holds no key for vault ${vaultId}.`;
    default:
      return `No key for vault ${vaultId} in the ${keyStore.kind} key store.`;
  }
}
