import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  runServerCommand,
  startSyncServerProcess,
} from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { cliOk, keychainScratch } from './testing/cli-json.js';
import {
  accountArgs,
  addCheckingTx as tx,
  initScratchVault,
  syncCli as sync,
} from './testing/sync-cli.js';

/**
 * The server's `backup` and `restore` commands with two devices on the real sync client
 * (the CLI over electron/core/sync): both sync; a backup is taken while the server runs;
 * one device pushes more; the server's data is lost and restored from the backup; at the
 * next sync both see a new epoch, the first pushes again what the backup lacked, and the
 * second, which never saw those changes before the loss, ends up with every one of them.
 * Real server in a child process, on the same port and master key after the restore.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-backup-');
const PASSWORD = 'amber trellis cobalt 64';

let server: SyncServerProcess | undefined;
let files: string;

beforeAll(async () => {
  server = await startSyncServerProcess();
  files = await mkdtemp(join(tmpdir(), 'coffer-backup-files-'));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

function running(): SyncServerProcess {
  if (server === undefined) throw new Error('the server is not running');
  return server;
}

const SYNCED = ['accounts', 'payees', 'transactions', 'clients'] as const;
type Row = Record<string, unknown>;

async function exported(vault: string, name: string): Promise<Record<string, Row[]>> {
  const out = join(files, `${name}.json`);
  await cliOk(vault, ['export', '--out', out]);
  const doc = JSON.parse(await readFile(out, 'utf8')) as { collections: Record<string, Row[]> };
  return Object.fromEntries(
    SYNCED.map((table) => [
      table,
      [...(doc.collections[table] ?? [])].sort((a, b) => String(a.id).localeCompare(String(b.id))),
    ]),
  );
}

describe('server backup and restore with two devices', { timeout: 900_000 }, () => {
  it('after the restore the first device pushes again what the backup lacked, and the second gets it all', async () => {
    const address = `backup-${process.pid}@example.test`;
    const laptop = await initScratchVault(scratch, 'laptop');
    const registered = await cliOk(
      laptop,
      ['sync', 'register', ...accountArgs(running(), address)],
      `${PASSWORD}\n`,
    );
    await cliOk(laptop, ['workspace', 'create', '--name', 'Studio']);
    await cliOk(laptop, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    const rent = await tx(laptop, '-900.00', 'Landlord', '2026-11-01');
    await sync(laptop);
    const desktop = await initScratchVault(scratch, 'desktop');
    await cliOk(
      desktop,
      ['sync', 'login', ...accountArgs(running(), address), '--recovery-key-stdin'],
      `${PASSWORD}\n${String(registered['recoveryKey'])}\n`,
    );
    await sync(desktop);
    const desktopBefore = await exported(desktop, 'desktop-before');
    expect(desktopBefore.transactions?.map((t) => t.id)).toEqual([rent]);

    // The backup, taken while the server runs.
    const root = running().at.root;
    const keyFile = join(root, 'master-key');
    const backupFile = join(files, 'server.backup');
    const made = await runServerCommand(
      ['backup', '--data-dir', running().dataDir, '--out', backupFile],
      keyFile,
    );
    expect(made).toMatch(/^backup: /m);

    // After the backup only the laptop writes, and the server acknowledges it.
    const invoiceRun = await tx(laptop, '2400.00', 'Client Co', '2026-11-05');
    const supplies = await tx(laptop, '-35.90', 'Stationer', '2026-11-06');
    await cliOk(laptop, ['tx', 'edit', rent, '--amount', '-950.00', '--notes', 'new lease']);
    await cliOk(laptop, ['client', 'add', '--name', 'Client Co']);
    expect((await sync(laptop)).pushed).toBeGreaterThanOrEqual(4);
    const expected = await exported(laptop, 'laptop-before-loss');
    expect(expected.transactions?.map((t) => t.id).sort()).toEqual(
      [rent, invoiceRun, supplies].sort(),
    );

    // The server's data is lost; the backup goes back into an empty data dir.
    const before = running();
    await before.halt();
    server = undefined;
    await rm(before.dataDir, { recursive: true, force: true });
    const restored = await runServerCommand(
      ['restore', '--data-dir', before.dataDir, '--from', backupFile],
      keyFile,
    );
    const epochs = /^epoch: (\S+) -> (\S+)$/m.exec(restored);
    expect(epochs?.[2]).toBeDefined();
    expect(epochs?.[1]).not.toBe(epochs?.[2]);
    server = await startSyncServerProcess(90_000, before.at);
    expect(server.url).toBe(before.url);
    // The restored certificate: the devices' pinned fingerprint still matches.
    expect(server.fingerprint).toBe(before.fingerprint);

    // The restored server lacks what came after the backup: the desktop finds nothing new.
    const desktopFirst = await sync(desktop);
    expect(desktopFirst.serverRestored).toBe(true);
    expect(await exported(desktop, 'desktop-restored')).toEqual(desktopBefore);
    const laptopRun = await sync(laptop);
    expect(laptopRun.serverRestored).toBe(true);
    expect(laptopRun.pushed).toBeGreaterThanOrEqual(4);
    const desktopRun = await sync(desktop);
    expect(desktopRun.refused).toEqual([]);
    expect(await exported(desktop, 'desktop-after')).toEqual(expected);
    expect(await exported(laptop, 'laptop-after')).toEqual(expected);
    // Settled: nothing is pushed twice.
    expect((await sync(laptop)).pushed).toBe(0);
  });
});
