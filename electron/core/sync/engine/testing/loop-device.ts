import { AccountService } from '../../../ledger/account.service.js';
import { TransactionService } from '../../../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../../../testing/temp-vault.js';
import type { ServerTarget } from '../../sync-account.service.js';
import { SyncAccountService } from '../../sync-account.service.js';
import type { SyncLoop, SyncLoopEvent } from '../sync-loop.js';
import { createVaultSyncLoop, type VaultSyncLoopOptions } from '../vault-sync-loop.js';

/** A device for sync-loop tests: a real vault, its sync account, ledger services and a loop. */
export interface LoopDevice extends TempVault {
  account: SyncAccountService;
  accounts: AccountService;
  transactions: TransactionService;
  events: SyncLoopEvent[];
  loop: SyncLoop | undefined;
  startLoop(options?: VaultSyncLoopOptions): SyncLoop;
  /** Resolves with the first event from now on that `match` accepts; rejects after `boundMs`. */
  next(match: (event: SyncLoopEvent) => boolean, boundMs?: number): Promise<SyncLoopEvent>;
}

export async function loopDevice(name: string): Promise<LoopDevice> {
  const temp = await createTempVault();
  const waiting = new Set<(event: SyncLoopEvent) => void>();
  const device: LoopDevice = {
    ...temp,
    account: new SyncAccountService({
      vault: temp.vault,
      keyStore: temp.keyStore,
      deviceName: name,
    }),
    accounts: new AccountService(temp.vault),
    transactions: new TransactionService(temp.vault),
    events: [],
    loop: undefined,
    startLoop(options = {}) {
      const loop = createVaultSyncLoop(temp.vault, device.account, options);
      loop.subscribe((event) => {
        device.events.push(event);
        for (const listener of [...waiting]) listener(event);
      });
      device.loop = loop;
      loop.start();
      return loop;
    },
    // The bound only stops a hung test; nothing is decided by how fast an event comes.
    next(match, boundMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(listener);
          reject(new Error(`${name}: no matching sync loop event in ${boundMs} ms`));
        }, boundMs);
        const listener = (event: SyncLoopEvent): void => {
          if (!match(event)) return;
          clearTimeout(timer);
          waiting.delete(listener);
          resolve(event);
        };
        waiting.add(listener);
      });
    },
  };
  return device;
}

export function targetOf(server: { url: string; fingerprint: string }): ServerTarget {
  return { serverUrl: server.url, fingerprint: server.fingerprint.replace(/^sha256:/, '') };
}
