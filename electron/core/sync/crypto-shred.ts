import fs from 'node:fs';

import { fsyncDir, vaultDbFiles, vaultManifestPath } from '../vault/vault-files.js';
import type { KeyStore } from '../vault/key-store.js';
import type { Vault } from '../vault/vault.js';

/** What a revoked device is told, by every front end. */
export const SHREDDED_MESSAGE =
  "This device's session was revoked on the sync server, so Coffer crypto-shredded this " +
  "vault: its key was deleted from this computer's key store and the vault files were " +
  'removed. Nothing of the workspace can be read here any more; sign in again to get it ' +
  'back on a device you trust. (Data already synced to a device cannot be recalled from a ' +
  'device that never comes back online; rotating the keys keeps it from reading anything new.)';

/** What a device is told when its account was removed from the vault's workspace. */
export const REMOVED_MESSAGE =
  'This account was removed from the workspace, so Coffer crypto-shredded this vault: its ' +
  "key was deleted from this computer's key store and the vault files were removed. Nothing " +
  'of the workspace can be read here any more. (Data already synced to a device cannot be ' +
  'recalled from a device that never comes back online; the workspace key was rotated, so ' +
  'it cannot read anything new.)';

/**
 * Crypto-shreds a vault (issue 9, revocation): closes it, deletes its key from the key store
 * (both slots) — without it the SQLCipher file is random bytes — then deletes the database,
 * its WAL and journal, and vault.json (whose wrapped key the Vault Recovery Key would open).
 * Every step runs even if an earlier one fails; the first failure is thrown at the end.
 */
export async function cryptoShredVault(vault: Vault, keyStore: KeyStore): Promise<void> {
  const { dir, vaultId } = vault;
  let failure: unknown;
  vault.close();
  for (const slot of ['current', 'next'] as const) {
    try {
      await keyStore.delete(vaultId, slot);
    } catch (error) {
      failure ??= error;
    }
  }
  for (const file of [...vaultDbFiles(dir), vaultManifestPath(dir)]) {
    try {
      fs.rmSync(file, { force: true });
    } catch (error) {
      failure ??= error;
    }
  }
  try {
    fsyncDir(dir);
  } catch {
    // best effort: the files are gone from the directory either way
  }
  if (failure !== undefined) {
    throw failure instanceof Error ? failure : new Error('The vault could not be fully removed.');
  }
}
