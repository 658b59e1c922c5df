import { isCofferError } from '../../shared/errors/coffer-error.js';
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
 * used only from the command line still gets its yearly rotation. The rotation never fails
 * the command: when it cannot run now (most often another process has the vault open, which
 * a rotation cannot share) it is left for a later open, and the command goes on with the
 * vault as it is; a rotation that stopped half way is finished by that open too.
 */
export async function openCliVault(ctx: CommandContext): Promise<Vault> {
  const keyStore = ctx.keyStore();
  const vault = await openVault({ dir: ctx.vaultDir, keyStore, now: () => ctx.io.now() });
  try {
    if (needsRotation(vault)) await rotateOrPostpone(ctx, vault, keyStore);
    return vault;
  } catch (error) {
    vault.close();
    throw error;
  }
}

async function rotateOrPostpone(ctx: CommandContext, vault: Vault, keyStore: KeyStore) {
  try {
    await rekeyVault(vault, keyStore);
    ctx.io.stderr('coffer: the vault key was a year old and has been rotated\n');
  } catch (error) {
    const code = isCofferError(error) ? error.code : 'INTERNAL';
    if (code === 'VAULT_LOCKED') {
      if (ctx.io.env['COFFER_DEBUG'] === '1') {
        ctx.io.stderr(
          'coffer: debug: the vault is open elsewhere; the yearly key rotation waits for a later open\n',
        );
      }
      return;
    }
    ctx.warn(
      `the yearly key rotation did not complete (${code}); it will be tried again at the next open`,
    );
  }
}
