import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCKS_COLUMN, RECORD_SPECS } from '../../export/export-tables.js';
import { AccountService } from '../../ledger/account.service.js';
import { TransactionService } from '../../ledger/transaction.service.js';
import { createTempVault } from '../../testing/temp-vault.js';
import { tsEntryArgs } from '../../testing/ts-entry.js';
import { FAULT_INJECT_ENV, type FaultPoint } from '../../vault/fault-injection.js';
import { KeyFileKeyStore } from '../../vault/key-file.key-store.js';
import { getMeta } from '../../vault/vault-meta.js';
import { vaultDbPath } from '../../vault/vault-files.js';
import { createVault, openVault, type Vault } from '../../vault/vault.js';
import { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { bulkLoadSnapshot, holdsAnyRecord } from './snapshot-bulk-load.js';
import { packSnapshot, snapshotEntries, type PackedSnapshot } from './snapshot-codec.js';

/**
 * Proof: a process killed in the middle of a snapshot's bulk load leaves the vault as it
 * was (no synced record) or holding the whole snapshot, never a part. The load leaves WAL
 * for a rollback journal, and a small page cache makes it write pages into the database
 * file before its commit, so the crash finds the file changed and a hot journal beside it.
 * A separate Node process loads and is SIGKILLed (COFFER_FAULT_INJECT); this one opens the
 * vault afterwards.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(here, '../../../..');
const CHILD = path.join(here, 'test-fixtures', 'bulk-load.child.ts');
const WORKSPACE = randomUUID();
const KEY = randomBytes(32);
const keyring = new WorkspaceKeyring(WORKSPACE, [{ workspaceId: WORKSPACE, version: 1, key: KEY }]);
const TRANSACTIONS = 600;

let root: string;
let snapshotFile: string;
let packed: PackedSnapshot;
/** The synced rows the whole snapshot makes, loaded here without a crash. */
let whole: Record<string, unknown[]>;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-bulk-load-crash-'));
  const source = await createTempVault({ outbox: true });
  try {
    new AccountService(source.vault).create({ name: 'Checking', currency: 'EUR' });
    const transactions = new TransactionService(source.vault);
    source.vault.transaction(() => {
      for (let i = 0; i < TRANSACTIONS; i++) {
        transactions.create({
          accountId: 'Checking',
          date: '2026-01-09',
          amountMinor: -(i + 1),
          notes: `note ${i} ${randomBytes(48).toString('hex')}`,
        });
      }
    });
    // Several chunks: the last is read once most rows are in.
    packed = packSnapshot(
      source.vault,
      keyring.current(),
      { snapshotId: randomUUID(), seq: 12 },
      4_000,
    );
  } finally {
    source.cleanup();
  }
  snapshotFile = path.join(root, 'snapshot.json');
  fs.writeFileSync(
    snapshotFile,
    JSON.stringify({
      workspaceId: WORKSPACE,
      key: KEY.toString('hex'),
      manifest: packed.manifest,
      chunks: packed.chunks.map((chunk) => chunk.toString('base64')),
    }),
  );
  const control = await createTempVault({ outbox: true });
  try {
    load(control.vault);
    whole = syncedRows(control.vault);
  } finally {
    control.cleanup();
  }
  expect(whole.transactions).toHaveLength(TRANSACTIONS);
  expect(packed.manifest.chunkCount).toBeGreaterThan(4);
}, 120_000);

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function load(vault: Vault): void {
  bulkLoadSnapshot(
    vault,
    packed.manifest.seq,
    snapshotEntries(packed.manifest, keyring, (i) => packed.chunks[i]!),
  );
}

/** Every synced table's rows but their clocks (whose device refs are each vault's own). */
function syncedRows(vault: Vault): Record<string, unknown[]> {
  const rows: Record<string, unknown[]> = {};
  const tables = RECORD_SPECS.flatMap((spec) => [
    spec.table,
    ...(spec.children ?? []).map((child) => child.table),
  ]);
  for (const table of tables) {
    // Some are WITHOUT ROWID: ordered by their text here.
    rows[table] = (vault.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[])
      .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== CLOCKS_COLUMN)))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return rows;
}

/** A new, empty vault keyed from a key file, closed: the child opens it. */
async function emptyVault(name: string): Promise<{ dir: string; keyFile: string }> {
  const dir = path.join(root, name, 'vault');
  const keyFile = path.join(root, name, 'vault.key');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const vault = await createVault({ dir, keyStore: new KeyFileKeyStore(keyFile) });
  vault.changes.enableOutbox();
  vault.close();
  return { dir, keyFile };
}

function crashLoad(dir: string, keyFile: string, point: FaultPoint): { grewBy: number } {
  const result = spawnSync(process.execPath, [...tsEntryArgs(CHILD), dir, keyFile, snapshotFile], {
    cwd: REPO_ROOT,
    env: { ...process.env, [FAULT_INJECT_ENV]: point },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw result.error;
  expect(result.signal, result.stderr).toBe('SIGKILL');
  const lines = result.stdout.trim().split('\n').filter(Boolean);
  // Killed where asked: the load had begun and never reported its end.
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as { grewBy: number };
}

describe('snapshot bulk load: a crash leaves the vault as it was or whole', () => {
  it('killed with every row written but not committed: nothing applied, and a load afterwards is whole', async () => {
    const { dir, keyFile } = await emptyVault('before-commit');
    const { grewBy } = crashLoad(dir, keyFile, 'snapshot-load:before-commit');
    // The load had already written into the file, under a rollback journal, not a WAL.
    expect(grewBy).toBeGreaterThan(0);
    expect(fs.existsSync(`${vaultDbPath(dir)}-journal`)).toBe(true);

    const vault = await openVault({ dir, keyStore: new KeyFileKeyStore(keyFile) });
    try {
      expect(holdsAnyRecord(vault)).toBe(false);
      expect(getMeta(vault.db, 'sync_pulled_seq')).toBeNull();
      expect(vault.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
      load(vault);
      expect(syncedRows(vault)).toEqual(whole);
      expect(getMeta(vault.db, 'sync_pulled_seq')).toBe(String(packed.manifest.seq));
    } finally {
      vault.close();
    }
  }, 120_000);

  it('killed just after the commit, before returning to WAL: the whole snapshot, in WAL again', async () => {
    const { dir, keyFile } = await emptyVault('after-commit');
    crashLoad(dir, keyFile, 'snapshot-load:after-commit');

    const vault = await openVault({ dir, keyStore: new KeyFileKeyStore(keyFile) });
    try {
      expect(syncedRows(vault)).toEqual(whole);
      expect(getMeta(vault.db, 'sync_pulled_seq')).toBe(String(packed.manifest.seq));
      expect(vault.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(vault.db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      vault.close();
    }
  }, 120_000);
});
