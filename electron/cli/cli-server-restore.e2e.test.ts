import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  runServerCommand,
  startSyncServerProcess,
} from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import { cliOk, keychainScratch } from './testing/cli-json.js';
import {
  accountArgs,
  addCheckingTx as tx,
  initScratchVault,
  syncCli as sync,
} from './testing/sync-cli.js';

/**
 * Re-push after a server restore: the server's data dir is backed up, both devices keep
 * writing and syncing, the backup is put back and marked restored (a new epoch), and the
 * next sync of each device pushes again what the backup lacks. A third device that starts
 * from the restored server then holds exactly what the two hold. Real server in a child
 * process (stopped and started on the same port and files), CLI in child processes.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-restore-');
const PASSWORD = 'copper meadow lantern 31';

let server: SyncServerProcess | undefined;
let files: string;

beforeAll(async () => {
  server = await startSyncServerProcess();
  files = await mkdtemp(join(tmpdir(), 'coffer-restore-files-'));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

function running(): SyncServerProcess {
  if (server === undefined) throw new Error('the server is not running');
  return server;
}

/** Stops the server, runs `between` on its stopped files, starts it again on the same port. */
async function restartAround(between: (dataDir: string, root: string) => Promise<void>) {
  const before = running();
  await before.halt();
  server = undefined;
  await between(before.dataDir, before.at.root);
  server = await startSyncServerProcess(90_000, before.at);
  expect(server.url).toBe(before.url);
  expect(server.fingerprint).toBe(before.fingerprint);
}

const SYNCED = [
  'accounts',
  'categories',
  'payees',
  'transactions',
  'transaction_splits',
  'clients',
] as const;
type Row = Record<string, unknown>;

async function exported(vault: string, name: string): Promise<Record<string, Row[]>> {
  const out = join(files, `${name}.json`);
  await cliOk(vault, ['export', '--out', out]);
  const doc = JSON.parse(await readFile(out, 'utf8')) as { collections: Record<string, Row[]> };
  return Object.fromEntries(
    SYNCED.map((table) => [
      table,
      [...(doc.collections[table] ?? [])].sort((a, b) =>
        JSON.stringify([a.id, a.transaction_id, a.position]).localeCompare(
          JSON.stringify([b.id, b.transaction_id, b.position]),
        ),
      ),
    ]),
  );
}

async function tombstones(vault: string): Promise<Row[]> {
  const opened = await openVault({ dir: vault, keyStore: new KeychainKeyStore() });
  try {
    return opened.db
      .prepare(
        'SELECT id, deleted_at, updated_at FROM transactions WHERE deleted_at IS NOT NULL ORDER BY id',
      )
      .all() as Row[];
  } finally {
    opened.close();
  }
}

describe('re-push after a server restore', { timeout: 900_000 }, () => {
  it('both devices push again what the restored server lost, and a new device gets everything', async () => {
    const address = `restore-${process.pid}@example.test`;
    const laptop = await initScratchVault(scratch, 'laptop');
    const registered = await cliOk(
      laptop,
      ['sync', 'register', ...accountArgs(running(), address)],
      `${PASSWORD}\n`,
    );
    const login = (vault: string) =>
      cliOk(
        vault,
        ['sync', 'login', ...accountArgs(running(), address), '--recovery-key-stdin'],
        `${PASSWORD}\n${String(registered['recoveryKey'])}\n`,
      );
    await cliOk(laptop, ['workspace', 'create', '--name', 'Household']);
    await cliOk(laptop, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    const rent = await tx(laptop, '-1250.00', 'Landlord', '2026-11-01');
    const coffee = await tx(laptop, '-4.20', 'Cafe', '2026-11-02');
    await sync(laptop);
    const desktop = await initScratchVault(scratch, 'desktop');
    await login(desktop);
    await sync(desktop);

    // The nightly backup: the server stopped, its files copied.
    const backup = join(files, 'backup');
    await restartAround((dataDir) => cp(dataDir, backup, { recursive: true }));

    // After the backup both devices keep working; all of it reaches the server and each other.
    await cliOk(laptop, ['tx', 'edit', rent, '--amount', '-1300.00', '--notes', 'new lease']);
    const groceries = await tx(laptop, '-56.10', 'Market', '2026-11-03');
    await cliOk(laptop, ['client', 'add', '--name', 'Client Co']);
    const bonus = await tx(desktop, '300.00', 'Employer', '2026-11-04');
    await cliOk(desktop, ['tx', 'delete', coffee]);
    expect((await sync(laptop)).pushed).toBeGreaterThanOrEqual(3);
    expect((await sync(desktop)).pushed).toBeGreaterThanOrEqual(2);
    await sync(laptop);
    const expected = await exported(laptop, 'laptop-before-restore');
    expect(await exported(desktop, 'desktop-before-restore')).toEqual(expected);
    expect(expected.transactions?.map((t) => t.id).sort()).toEqual([rent, groceries, bonus].sort());
    const deleted = await tombstones(laptop);
    expect(deleted.map((t) => t.id)).toEqual([coffee]);

    // The disk dies; the backup goes back and is marked restored: a new epoch.
    let marked = '';
    await restartAround(async (dataDir, root) => {
      await rm(dataDir, { recursive: true, force: true });
      await cp(backup, dataDir, { recursive: true });
      marked = await runServerCommand(
        ['mark-restored', '--data-dir', dataDir],
        join(root, 'master-key'),
      );
    });
    const epochs = /^epoch: (\S+) -> (\S+)$/m.exec(marked);
    expect(epochs?.[1]).not.toBe(epochs?.[2]);

    // A device that started from the restored server alone would miss everything since the backup.
    const early = await initScratchVault(scratch, 'early');
    await login(early);
    await sync(early);
    expect((await exported(early, 'early')).transactions?.map((t) => t.id).sort()).toEqual(
      [rent, coffee].sort(),
    );

    const laptopRun = await sync(laptop);
    expect(laptopRun.serverRestored).toBe(true);
    expect(laptopRun.pushed).toBeGreaterThanOrEqual(3);
    const desktopRun = await sync(desktop);
    expect(desktopRun.serverRestored).toBe(true);
    expect(desktopRun.pushed).toBeGreaterThanOrEqual(2);
    await sync(laptop);
    // Re-pushing is settled once: the next sync sends nothing again.
    expect((await sync(laptop)).pushed).toBe(0);
    expect((await sync(desktop)).pushed).toBe(0);

    const late = await initScratchVault(scratch, 'late');
    await login(late);
    const lateRun = await sync(late);
    expect(lateRun.refused).toEqual([]);
    for (const [vault, name] of [
      [laptop, 'laptop'],
      [desktop, 'desktop'],
      [late, 'late'],
      [early, 'early-after'],
    ] as const) {
      if (vault === early) await sync(early);
      expect(await exported(vault, `${name}-after-restore`), name).toEqual(expected);
      expect(await tombstones(vault), name).toEqual(deleted);
      expect((await cliOk(vault, ['conflicts', 'list']))['conflicts'], name).toEqual([]);
    }
  });
});
