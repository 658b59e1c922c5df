import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { KeyFileKeyStore } from '../core/vault/key-file.key-store.js';
import type { KeyStore } from '../core/vault/key-store.js';
import { needsRotation, rekeyVault } from '../core/vault/rekey.service.js';
import { openVault, type Vault } from '../core/vault/vault.js';
import type { CommandContext } from './command.js';

/** The OS keychain unless the user opted in to a key file with --key-file. */
export function cliKeyStore(ctx: Pick<CommandContext, 'keyFile' | 'warn'>): KeyStore {
  if (ctx.keyFile === undefined) return new KeychainKeyStore();
  const store = new KeyFileKeyStore(ctx.keyFile);
  ctx.warn(store.warning);
  return store;
}

/**
 * Opens the vault for one command. A key older than a year is rotated first, so a vault
 * used only from the command line still gets its yearly rotation.
 */
export async function openCliVault(ctx: CommandContext): Promise<Vault> {
  const keyStore = ctx.keyStore();
  const vault = await openVault({ dir: ctx.vaultDir, keyStore, now: () => ctx.io.now() });
  try {
    if (needsRotation(vault)) {
      await rekeyVault(vault, keyStore);
      ctx.io.stderr('coffer: the vault key was a year old and has been rotated\n');
    }
    return vault;
  } catch (error) {
    vault.close();
    throw error;
  }
}
