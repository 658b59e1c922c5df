/**
 * Child process for keychain and crash tests; run with `node --import tsx keychain-child.ts MODE DIR`.
 * Prints one JSON line with the outcome. Modes:
 *   probe   read a key from the OS keychain
 *   create  create a vault in DIR keyed from the OS keychain
 *   rekey   open the vault in DIR from the OS keychain and rotate its key; with
 *           COFFER_FAULT_INJECT set it SIGKILLs itself at that point and prints nothing
 *   recovery-key-new
 *           open the vault in DIR from the OS keychain and give it a new Recovery Key,
 *           printing `{"shown": KEY}` the moment the key is shown (a crash after that point
 *           leaves that line last), then the outcome
 */
import { writeSync } from 'node:fs';
import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import { KeychainKeyStore } from '../keychain.key-store.js';
import { newRecoveryKey } from '../new-recovery-key.service.js';
import { rekeyVault } from '../rekey.service.js';
import { createVault, openVault } from '../vault.js';

async function main(): Promise<unknown> {
  const [mode, dir] = process.argv.slice(2);
  const keyStore = new KeychainKeyStore();
  switch (mode) {
    case 'probe':
      return { ok: true, found: (await keyStore.get(uuidv7())) !== null };
    case 'create': {
      const vault = await createVault({ dir: requireDir(dir), keyStore });
      vault.close();
      return { ok: true, vaultId: vault.vaultId };
    }
    case 'rekey':
      return { ok: true, ...(await rekeyVault(requireDir(dir), keyStore)) };
    case 'recovery-key-new': {
      const vault = await openVault({ dir: requireDir(dir), keyStore });
      try {
        const result = await newRecoveryKey(vault, keyStore, ({ recoveryKey }) => {
          // Synchronous, so the line is out before a crash point right after showing.
          writeSync(1, JSON.stringify({ shown: recoveryKey }) + '\n');
        });
        return { ok: true, ...result };
      } finally {
        vault.close();
      }
    }
    default:
      throw new Error(`unknown mode ${String(mode)}`);
  }
}

function requireDir(dir: string | undefined): string {
  if (dir === undefined) throw new Error('DIR is required');
  return dir;
}

main().then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
  },
  (error: unknown) => {
    const out = isCofferError(error)
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: 'UNEXPECTED', message: String(error) };
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exitCode = 1;
  },
);
