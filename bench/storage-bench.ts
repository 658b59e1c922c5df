/**
 * The "storage" section: what a transaction costs on disk in an encrypted vault of 100k,
 * written through `TransactionService.createMany` — once in a local-only vault (no outbox),
 * once in a vault linked to sync whose changes the server acknowledged batch by batch, as
 * a sync loop pushing batches of at most 5,000 changes would, and once in a second vault
 * that receives the synced vault's changes through `RemoteChangeApplier`, in pages of
 * 5,000 as a pull would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Change } from '../shared/sync/change.js';
import { AccountService } from '../electron/core/ledger/account.service.js';
import { RemoteChangeApplier } from '../electron/core/sync/apply/remote-change-applier.js';
import { TransactionService } from '../electron/core/ledger/transaction.service.js';
import { MemoryKeyStore } from '../electron/core/vault/memory.key-store.js';
import { vaultDbPath } from '../electron/core/vault/vault-files.js';
import { createVault, type Vault } from '../electron/core/vault/vault.js';
import { directInputs } from './import-statement-data.js';
import { absoluteRow, type RowInput } from './report.js';

export const STORAGE_SECTION = 'storage';

export interface StorageBenchConfig {
  transactions: number;
  /** Transactions per createMany call, and changes per acknowledged push. */
  batch: number;
  /** Bytes a transaction may take on disk. */
  targetBytes: number;
}

export const FULL_STORAGE_CONFIG: StorageBenchConfig = {
  transactions: 100_000,
  batch: 5_000,
  targetBytes: 500,
};
export const QUICK_STORAGE_CONFIG: StorageBenchConfig = {
  ...FULL_STORAGE_CONFIG,
  transactions: 10_000,
};

export interface StorageBenchOptions {
  config: StorageBenchConfig;
  dataDir: string;
  log: (line: string) => void;
}

interface Footprint {
  /** Bytes per transaction: database file (after a checkpoint) minus the empty vault's. */
  perTransaction: number;
  /** Bytes per transaction by table (its indexes folded in), and free pages. */
  byTable: Map<string, number>;
}

export async function runStorageBench(options: StorageBenchOptions): Promise<RowInput[]> {
  const { config, log } = options;
  const scratch = path.join(options.dataDir, 'storage');
  fs.mkdirSync(scratch, { recursive: true });
  const inputs = directInputs('Checking', config.transactions);
  try {
    const local = await measure(path.join(scratch, 'local'), inputs, config);
    log(`storage: local-only ${local.perTransaction.toFixed(0)} B/tx (${describe(local)})`);
    const sent: Change[] = [];
    const synced = await measure(path.join(scratch, 'synced'), inputs, config, sent);
    log(`storage: synced ${synced.perTransaction.toFixed(0)} B/tx (${describe(synced)})`);
    const received = await measureReceiver(path.join(scratch, 'receiver'), sent, config);
    sent.length = 0;
    log(`storage: receiver ${received.perTransaction.toFixed(0)} B/tx (${describe(received)})`);
    const n = config.transactions.toLocaleString('en-US');
    const unit = `bytes per transaction, not ms; target ${config.targetBytes} B`;
    return [
      absoluteRow(
        `bytes on disk per transaction, local-only vault of ${n} (bytes, not ms)`,
        local.perTransaction,
        config.targetBytes,
        `${unit}. createMany in batches of ${config.batch.toLocaleString('en-US')}, then a WAL checkpoint; (database file − empty vault) / transactions. By table: ${describe(local)}`,
      ),
      absoluteRow(
        `bytes on disk per transaction, synced vault of ${n} after acknowledge (bytes, not ms)`,
        synced.perTransaction,
        config.targetBytes,
        `${unit}. Outbox enabled, createMany in batches of ${config.batch.toLocaleString('en-US')}, each batch's changes acknowledged before the next (a push of at most 5,000), then a WAL checkpoint. By table: ${describe(synced)}`,
      ),
      absoluteRow(
        `bytes on disk per transaction, receiving vault of ${n} (bytes, not ms)`,
        received.perTransaction,
        config.targetBytes,
        `${unit}. A second linked vault applies the synced vault's changes through RemoteChangeApplier in pages of ${config.batch.toLocaleString('en-US')}, then a WAL checkpoint. By table: ${describe(received)}`,
      ),
    ];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** A synced vault when `sent` is given: every change it pushes is added to it. */
async function measure(
  dir: string,
  inputs: Parameters<TransactionService['createMany']>[0],
  config: StorageBenchConfig,
  sent?: Change[],
): Promise<Footprint> {
  const vault = await createVault({ dir, keyStore: new MemoryKeyStore() });
  try {
    // Linked first, so the account travels in a change too and a receiver can hold it.
    if (sent !== undefined) vault.changes.enableOutbox();
    new AccountService(vault).create({ name: 'Checking', currency: 'USD', kind: 'checking' });
    acknowledgeAll(vault, sent);
    const start = footprintStart(vault);
    const transactions = new TransactionService(vault);
    for (let from = 0; from < inputs.length; from += config.batch) {
      transactions.createMany(inputs.slice(from, from + config.batch));
      if (sent !== undefined) acknowledgeAll(vault, sent);
    }
    return start.grown(inputs.length);
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A linked vault that applies `changes` as a pull would: pages of `config.batch`. */
async function measureReceiver(
  dir: string,
  changes: readonly Change[],
  config: StorageBenchConfig,
): Promise<Footprint> {
  const vault = await createVault({ dir, keyStore: new MemoryKeyStore() });
  try {
    vault.changes.enableOutbox();
    const start = footprintStart(vault);
    const applier = new RemoteChangeApplier(vault);
    for (let from = 0; from < changes.length; from += config.batch) {
      const result = applier.apply(changes.slice(from, from + config.batch));
      if (result.applied !== Math.min(config.batch, changes.length - from)) {
        throw new Error(`storage bench: a page applied ${JSON.stringify(result)}`);
      }
    }
    const transactions = changes.filter((c) => c.collection === 'transactions').length;
    return start.grown(transactions);
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The vault's size now, and what it has grown by per transaction when asked. */
function footprintStart(vault: Vault): { grown(count: number): Footprint } {
  const emptyBytes = fileBytes(vault);
  const emptyTables = tableBytes(vault);
  return {
    grown(count: number): Footprint {
      const byTable = new Map<string, number>();
      for (const [table, bytes] of tableBytes(vault)) {
        const grown = (bytes - (emptyTables.get(table) ?? 0)) / count;
        if (grown >= 1) byTable.set(table, grown);
      }
      return { perTransaction: (fileBytes(vault) - emptyBytes) / count, byTable };
    },
  };
}

function acknowledgeAll(vault: Vault, sent?: Change[]): void {
  for (;;) {
    const changes = vault.changes.pending(5_000).map((entry) => entry.change);
    if (changes.length === 0) return;
    sent?.push(...changes);
    vault.changes.acknowledge(changes.map((change) => change.id));
  }
}

/** The database file's size once the WAL is copied into it and truncated. */
function fileBytes(vault: Vault): number {
  vault.db.pragma('wal_checkpoint(TRUNCATE)');
  return fs.statSync(vaultDbPath(vault.dir)).size;
}

/** Bytes of pages per table with its indexes (SQLite's dbstat), plus the free list. */
function tableBytes(vault: Vault): Map<string, number> {
  const owners = new Map<string, string>();
  for (const { name, tbl_name } of vault.db
    .prepare("SELECT name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index')")
    .all() as { name: string; tbl_name: string }[]) {
    owners.set(name, tbl_name);
  }
  const sizes = new Map<string, number>();
  for (const { name, bytes } of vault.db
    .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name')
    .all() as { name: string; bytes: number }[]) {
    const table = owners.get(name) ?? name;
    sizes.set(table, (sizes.get(table) ?? 0) + bytes);
  }
  const pageSize = Number(vault.db.pragma('page_size', { simple: true }));
  sizes.set('(free pages)', Number(vault.db.pragma('freelist_count', { simple: true })) * pageSize);
  return sizes;
}

function describe(footprint: Footprint): string {
  return [...footprint.byTable]
    .sort((a, b) => b[1] - a[1])
    .map(([table, bytes]) => `${table} ${bytes.toFixed(0)}`)
    .join(', ');
}
