/**
 * Child process of the first-sync bench: a fresh device (its own vault and memory) that
 * signs up, joins the workspace with the invite read from stdin, waits for "go" (the admin
 * has sealed the workspace key to it), then syncs once: from the newest snapshot and the log
 * after it when the workspace has one, from the whole log otherwise. Prints, as JSON on its
 * last stdout line, how long that first sync took, what it pulled and applied, the seq of
 * the snapshot it loaded, and the peak resident memory of the whole process.
 */
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { syncOnce } from '../electron/core/sync/engine/sync-once.js';
import { SyncAccountService } from '../electron/core/sync/sync-account.service.js';
import { MemoryKeyStore } from '../electron/core/vault/memory.key-store.js';
import { createVault } from '../electron/core/vault/vault.js';

export interface FirstSyncProbeResult {
  ms: number;
  pulled: number;
  applied: number;
  /** The seq of the snapshot the device loaded before pulling; null when it had none. */
  snapshotLoaded: number | null;
  maxRssKiB: number;
}

async function main(): Promise<void> {
  const [scratch, serverUrl, fingerprint, email, name = 'fresh-device'] = process.argv.slice(2);
  if (
    scratch === undefined ||
    serverUrl === undefined ||
    fingerprint === undefined ||
    email === undefined
  ) {
    throw new Error(
      'usage: SCRATCH SERVER_URL FINGERPRINT EMAIL [NAME] (invite and password on stdin)',
    );
  }
  const reader = createInterface({ input: process.stdin });
  const lines = reader[Symbol.asyncIterator]();
  const nextLine = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done === true) throw new Error('stdin closed');
    return line.value;
  };
  const [invite, password] = [await nextLine(), await nextLine()];
  const keyStore = new MemoryKeyStore();
  const vault = await createVault({ dir: path.join(scratch, name), keyStore });
  try {
    const account = new SyncAccountService({ vault, keyStore, deviceName: 'bench fresh device' });
    await account.register({ serverUrl, fingerprint }, { email, password });
    await account.join(invite);
    process.stdout.write('joined\n');
    if ((await nextLine()) !== 'go') throw new Error('expected "go"');
    reader.close();
    const started = performance.now();
    const result = await account.withWorkspaceSync((sync, workspace, keyring) =>
      syncOnce(vault, sync, workspace.workspaceId, keyring),
    );
    const ms = performance.now() - started;
    const answer: FirstSyncProbeResult = {
      ms,
      pulled: result.pulled,
      applied: result.applied,
      snapshotLoaded: result.snapshot.loaded,
      maxRssKiB: process.resourceUsage().maxRSS,
    };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  } finally {
    vault.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
