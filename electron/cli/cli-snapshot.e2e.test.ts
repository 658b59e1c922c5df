import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { cliOk, keychainScratch } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';

/**
 * Snapshots end to end (docs/sync-merge.md, "Snapshots and bootstrap"): an admin's device
 * writes one; a new device loads it and pulls only the tail; a device that stayed away while
 * the server pruned the log below it is answered HISTORY_PRUNED and re-bootstraps from the
 * next snapshot, keeping its own newer edit. Real server in a child process; the passing of
 * time (a day-old snapshot, a device silent for a month) is written into the stopped
 * server's database, as the server itself would have recorded it. CLI in child processes.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-snapshot-');
const PASSWORD = 'copper meadow lantern 31';
const DAY_MS = 24 * 60 * 60_000;
/** The server's database in its data dir (sync-server/data-dir.ts). */
const SERVER_DATABASE = 'coffer-server.db';

let server: SyncServerProcess | undefined;
let files: string;

beforeAll(async () => {
  server = await startSyncServerProcess();
  files = await mkdtemp(join(tmpdir(), 'coffer-snapshot-files-'));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

function running(): SyncServerProcess {
  if (server === undefined) throw new Error('the server is not running');
  return server;
}

/** Stops the server, runs `sql` on its database, starts it again (its prune job runs at start). */
async function whileStopped(sql: string, ...params: number[]): Promise<void> {
  const current = running();
  await current.halt();
  const db = new Database(join(current.dataDir, SERVER_DATABASE));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
  await current.start();
}

interface SyncRun {
  pushed: number;
  pulled: number;
  seq: number;
  refused: unknown[];
  snapshot: {
    loaded: number | null;
    rebootstrapped: number | null;
    written: number | null;
    writeFailed: string | null;
  };
}
const sync = async (vault: string): Promise<SyncRun> =>
  (await cliOk(vault, ['sync'])) as unknown as SyncRun;

const tx = async (vault: string, amount: string, payee: string): Promise<string> =>
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
        '2026-11-02',
        '--payee',
        payee,
      ])
    )['id'],
  );

type Row = Record<string, unknown>;
async function transactions(vault: string, name: string): Promise<Row[]> {
  const out = join(files, `${name}.json`);
  await cliOk(vault, ['export', '--out', out]);
  const doc = JSON.parse(await readFile(out, 'utf8')) as { collections: Record<string, Row[]> };
  return [...(doc.collections['transactions'] ?? [])].sort((a, b) =>
    String(a.id).localeCompare(String(b.id)),
  );
}

const notesOf = (rows: Row[], id: string): unknown => rows.find((row) => row.id === id)?.notes;

describe('snapshots end to end', { timeout: 900_000 }, () => {
  it('bootstraps a new device from a snapshot, and re-bootstraps one the pruned log left behind', async () => {
    const address = `snapshot-${process.pid}@example.test`;
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
    const rent = await tx(laptop, '-1250.00', 'Landlord');
    await tx(laptop, '-4.20', 'Cafe');
    // The admin's first sync leaves the outbox empty with none written yet: it writes one.
    const wrote = await sync(laptop);
    expect(wrote.snapshot.writeFailed).toBeNull();
    expect(wrote.snapshot.written).toBe(wrote.seq);
    const first = wrote.seq;

    await tx(laptop, '-56.10', 'Market');
    await tx(laptop, '300.00', 'Employer');
    const grown = await sync(laptop);
    // Not due yet: two changes, minutes old.
    expect(grown.snapshot.written).toBeNull();
    expect(grown.seq).toBeGreaterThan(first);

    // A new device loads the snapshot and pulls only what came after it.
    const desktop = await initScratchVault(scratch, 'desktop');
    await login(desktop);
    const boot = await sync(desktop);
    expect(boot.snapshot.loaded).toBe(first);
    expect(boot.pulled).toBe(grown.seq - first);
    expect(boot.refused).toEqual([]);
    expect(await transactions(desktop, 'desktop-boot')).toEqual(
      await transactions(laptop, 'laptop-boot'),
    );

    // Both see the laptop's note; then the desktop goes quiet with a newer note of its own.
    await cliOk(laptop, ['tx', 'edit', rent, '--notes', 'laptop note']);
    await sync(laptop);
    await sync(desktop);
    await cliOk(desktop, ['tx', 'edit', rent, '--notes', 'desktop note']);
    await tx(laptop, '-9.99', 'Bakery');
    await sync(laptop);

    // A day later the laptop refreshes the snapshot...
    await whileStopped(
      'UPDATE snapshots SET started_at = started_at - ?, completed_at = completed_at - ?',
      DAY_MS + 60_000,
      DAY_MS + 60_000,
    );
    const refreshed = await sync(laptop);
    expect(refreshed.snapshot.written).toBe(refreshed.seq);
    const second = refreshed.seq;
    expect(second).toBeGreaterThan(grown.seq);

    // ...and a month of silence later the desktop no longer holds the log back: pruned.
    await whileStopped(
      'UPDATE pull_cursors SET pulled_at = pulled_at - ? WHERE after_seq < ?',
      31 * DAY_MS,
      second,
    );
    const back = await sync(desktop);
    expect(back.snapshot.rebootstrapped).toBe(second);
    expect(back.pushed).toBeGreaterThanOrEqual(1);
    expect(back.refused).toEqual([]);
    const desktopRows = await transactions(desktop, 'desktop-back');
    expect(notesOf(desktopRows, rent)).toBe('desktop note');
    expect(desktopRows.some((row) => row.payee_id !== null && row.amount_minor === -999)).toBe(
      true,
    );

    await sync(laptop);
    const laptopRows = await transactions(laptop, 'laptop-end');
    expect(notesOf(laptopRows, rent)).toBe('desktop note');
    expect(await transactions(desktop, 'desktop-end')).toEqual(laptopRows);
    expect((await cliOk(desktop, ['conflicts', 'list']))['conflicts']).toEqual([]);
  });
});
