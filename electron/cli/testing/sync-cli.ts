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

/** What `coffer --json sync` prints, the parts the tests read. */
export interface SyncRun {
  pushed: number;
  pulled: number;
  applied: number;
  seq: number;
  refused: unknown[];
  serverRestored: boolean;
}

export const syncCli = async (vault: string): Promise<SyncRun> =>
  (await cliOk(vault, ['sync'])) as unknown as SyncRun;

/** `coffer tx add` on the vault's "Checking" account; resolves with the new id. */
export const addCheckingTx = async (
  vault: string,
  amount: string,
  payee: string,
  date: string,
): Promise<string> =>
  String(
    (
      await cliOk(vault, [
        'tx',
        'add',
        '--account',
        'Checking',
        '--amount',
        amount,
        '--date',
        date,
        '--payee',
        payee,
      ])
    )['id'],
  );
