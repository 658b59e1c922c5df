import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { cliFailed, cliOk, keychainScratch } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';

/**
 * `coffer sync` between two devices of one account: the real server in a child process
 * (TLS 1.3, pinned), the CLI in child processes, real vaults and the real OS keychain.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-sync-now-');
const PASSWORD = 'quartz lantern orchard 77';

let server: SyncServerProcess;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

const newVault = (name: string): Promise<string> => initScratchVault(scratch, name);
const account = (address: string): string[] => accountArgs(server, address);

interface ListedTx {
  id: string;
  amountMinor: number;
  notes: string;
  payeeName: string | null;
}

const transactions = async (vault: string): Promise<ListedTx[]> =>
  ((await cliOk(vault, ['tx', 'list'])) as unknown as { transactions: ListedTx[] }).transactions;

interface SyncRun {
  pushed: number;
  pulled: number;
  applied: number;
  refused: { changeId: string; code: string }[];
  seq: number;
  snapshot: { loaded: number | null; written: number | null };
}

const sync = async (vault: string): Promise<SyncRun> =>
  (await cliOk(vault, ['sync'])) as unknown as SyncRun;

describe('coffer sync between two devices', { timeout: 600_000 }, () => {
  it('a laptop and a desktop converge; a change altered on the server is refused, not applied', async () => {
    const address = `sync-${process.pid}@example.test`;
    const laptop = await newVault('laptop');
    const registered = await cliOk(
      laptop,
      ['sync', 'register', ...account(address)],
      `${PASSWORD}\n`,
    );
    const recoveryKey = String(registered['recoveryKey']);

    // Before a workspace there is nothing to sync to.
    const noWorkspace = await cliFailed(laptop, ['sync']);
    expect(noWorkspace.error.code).toBe('INVALID_STATE');

    await cliOk(laptop, ['workspace', 'create', '--name', 'Freelance books']);
    await cliOk(laptop, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    const rent = await cliOk(laptop, [
      'tx',
      'add',
      '--account',
      'Checking',
      '--amount',
      '-1250.00',
      '--date',
      '2026-11-01',
      '--payee',
      'Landlord',
    ]);
    const first = await sync(laptop);
    expect(first.pushed).toBeGreaterThanOrEqual(2);
    expect(first.refused).toEqual([]);
    // Acknowledged changes leave the outbox.
    expect((await cliOk(laptop, ['status']))['pendingChanges']).toBe(0);

    // The desktop signs in with the Recovery Key, takes the workspace and pulls it.
    const desktop = await newVault('desktop');
    await cliOk(
      desktop,
      ['sync', 'login', ...account(address), '--recovery-key-stdin'],
      `${PASSWORD}\n${recoveryKey}\n`,
    );
    // The laptop, an admin, wrote a snapshot on that sync: the desktop starts from it.
    expect(first.snapshot.written).toBe(first.seq);
    const pulled = await sync(desktop);
    expect(pulled.snapshot.loaded).toBe(first.seq);
    expect(pulled.refused).toEqual([]);
    expect(await transactions(desktop)).toEqual([
      expect.objectContaining({ id: rent['id'], amountMinor: -125_000, payeeName: 'Landlord' }),
    ]);

    // An edit on the desktop reaches the laptop.
    await cliOk(desktop, ['tx', 'edit', String(rent['id']), '--notes', 'November rent']);
    expect((await sync(desktop)).pushed).toBe(1);
    expect((await sync(laptop)).applied).toBe(1);
    expect((await transactions(laptop))[0]).toMatchObject({
      id: rent['id'],
      notes: 'November rent',
      amountMinor: -125_000,
    });

    // The server swaps the clear label of the laptop's next change: the AAD binds it, so
    // the desktop refuses the change instead of applying it.
    const coffee = await cliOk(laptop, [
      'tx',
      'add',
      '--account',
      'Checking',
      '--amount',
      '-4.20',
      '--date',
      '2026-11-02',
      '--payee',
      'Café',
    ]);
    const pushed = await sync(laptop);
    expect(pushed.pushed).toBeGreaterThanOrEqual(1);
    const db = new Database(join(server.dataDir, 'coffer-server.db'));
    try {
      const altered = db
        .prepare(
          "UPDATE change_log SET collection = 'clients' WHERE collection = 'transactions' AND seq > ?",
        )
        .run(pushed.seq - pushed.pushed).changes;
      expect(altered).toBeGreaterThanOrEqual(1);
    } finally {
      db.close();
    }
    const tampered = await sync(desktop);
    expect(tampered.refused.map((r) => r.code)).toContain('CHANGE_DECRYPT_FAILED');
    expect((await transactions(desktop)).map((t) => t.id)).not.toContain(coffee['id']);
  });
});
