/**
 * The "storage" section: what a transaction costs on disk in an encrypted vault of 100k,
 * written through `TransactionService.createMany` — once in a local-only vault (no outbox),
 * once in a vault linked to sync whose changes the server acknowledged batch by batch, as
 * a sync loop pushing batches of at most 5,000 changes would (issue 9 point 9).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AccountService } from '../electron/core/ledger/account.service.js';
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
    const local = await measure(path.join(scratch, 'local'), inputs, config, false);
    log(`storage: local-only ${local.perTransaction.toFixed(0)} B/tx (${describe(local)})`);
    const synced = await measure(path.join(scratch, 'synced'), inputs, config, true);
    log(`storage: synced ${synced.perTransaction.toFixed(0)} B/tx (${describe(synced)})`);
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
    ];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function measure(
  dir: string,
  inputs: Parameters<TransactionService['createMany']>[0],
  config: StorageBenchConfig,
  synced: boolean,
): Promise<Footprint> {
  const vault = await createVault({ dir, keyStore: new MemoryKeyStore() });
  try {
    new AccountService(vault).create({ name: 'Checking', currency: 'USD', kind: 'checking' });
    if (synced) vault.changes.enableOutbox();
    acknowledgeAll(vault);
    const emptyBytes = fileBytes(vault);
    const emptyTables = tableBytes(vault);
    const transactions = new TransactionService(vault);
    for (let start = 0; start < inputs.length; start += config.batch) {
      transactions.createMany(inputs.slice(start, start + config.batch));
      if (synced) acknowledgeAll(vault);
    }
    const count = inputs.length;
    const byTable = new Map<string, number>();
    for (const [table, bytes] of tableBytes(vault)) {
      const grown = (bytes - (emptyTables.get(table) ?? 0)) / count;
      if (grown >= 1) byTable.set(table, grown);
    }
    return { perTransaction: (fileBytes(vault) - emptyBytes) / count, byTable };
  } finally {
    vault.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function acknowledgeAll(vault: Vault): void {
  for (;;) {
    const ids = vault.changes.pending(5_000).map((entry) => entry.change.id);
    if (ids.length === 0) return;
    vault.changes.acknowledge(ids);
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
