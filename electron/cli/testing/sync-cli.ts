import type { SyncServerProcess } from '../../core/sync/client/testing/sync-server-process.js';
import { cliOk, type keychainScratch } from './cli-json.js';

/** A new vault made by `coffer init` in the scratch folder; its keychain entry is cleaned up. */
export async function initScratchVault(
  scratch: ReturnType<typeof keychainScratch>,
  name: string,
): Promise<string> {
  const dir = scratch.path(name);
  const created = await cliOk(dir, ['init']);
  scratch.vaultIds.push(String(created['vaultId']));
  return dir;
}

/** The flags `sync register` and `sync login` take for `server`, the password on stdin. */
export function accountArgs(
  server: Pick<SyncServerProcess, 'url' | 'fingerprint'>,
  address: string,
): string[] {
  return [
    '--server',
    server.url,
    '--fingerprint',
    server.fingerprint,
    '--email',
    address,
    '--password-stdin',
  ];
}
