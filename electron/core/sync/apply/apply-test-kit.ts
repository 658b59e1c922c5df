/**
 * Test-only: devices that each own a real encrypted vault (memory key store) with the ledger
 * services, a clock the test moves, and the applier; changes travel as the test says.
 */
import type { Change } from '../../../../shared/sync/change.js';
import { AccountService } from '../../ledger/account.service.js';
import { CategoryService } from '../../ledger/category.service.js';
import { TransactionService } from '../../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { CLOCKS_COLUMN } from '../../export/export-tables.js';
import { RecordClocks } from '../record-clocks.js';
import { ConflictService } from './conflict.service.js';
import { RemoteChangeApplier } from './remote-change-applier.js';

export const T0 = Date.UTC(2026, 0, 10, 9, 0, 0);

export interface Device extends TempVault {
  accounts: AccountService;
  categories: CategoryService;
  transactions: TransactionService;
  applier: RemoteChangeApplier;
  conflicts: ConflictService;
  /** Sets this device's wall clock. */
  setNow(ms: number): void;
  /** Takes every change waiting in the outbox (and acknowledges them, as a push would). */
  drain(): Change[];
}

export async function createDevice(start = T0): Promise<Device> {
  let now = start;
  const temp = await createTempVault({ now: () => now, outbox: true });
  const { vault } = temp;
  return {
    ...temp,
    accounts: new AccountService(vault),
    categories: new CategoryService(vault),
    transactions: new TransactionService(vault),
    applier: new RemoteChangeApplier(vault),
    conflicts: new ConflictService(vault),
    setNow(ms: number): void {
      now = ms;
    },
    drain(): Change[] {
      const changes = vault.changes.pending(1_000_000).map((entry) => entry.change);
      vault.changes.acknowledge(changes.map((c) => c.id));
      return changes;
    },
  };
}

const SYNCED_TABLES = [
  'accounts',
  'categories',
  'payees',
  'transactions',
  'transaction_splits',
  'budgets',
] as const;

/** The synced tables that are records (their clocks are read per record), by collection. */
const RECORD_TABLES = ['accounts', 'categories', 'payees', 'transactions', 'budgets'] as const;

/**
 * Everything a device holds that merging decides, in a canonical order: the synced rows, the
 * kept conflict values, and each record's field clocks. Clocks are read through RecordClocks,
 * as HLCs: the stored text names devices by refs, which differ from device to device, so
 * rows are compared without it.
 */
export function canonicalDump(device: Device): Record<string, unknown> {
  const { db } = device.vault;
  const dump: Record<string, unknown> = {};
  for (const table of SYNCED_TABLES) {
    dump[table] = db
      .prepare<[], Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY 1, 2`)
      .all()
      .map((row) => {
        const { [CLOCKS_COLUMN]: _clocks, ...rest } = row;
        return rest;
      });
  }
  dump.conflicts = db.prepare('SELECT * FROM sync_conflicts ORDER BY id').all();
  const clocks = new RecordClocks(db);
  const records: (readonly [string, string])[] = db
    .prepare<[], { collection: string; record_id: string }>(
      'SELECT collection, record_id FROM record_clocks',
    )
    .all()
    .map((row) => [row.collection, row.record_id]);
  for (const table of RECORD_TABLES) {
    for (const id of db.prepare<[], string>(`SELECT id FROM ${table}`).pluck().all()) {
      records.push([table, id]);
    }
  }
  const unique = new Map(
    records.map(([collection, id]) => [`${collection}\n${id}`, [collection, id] as const]),
  );
  dump.clocks = [...unique.values()]
    .map(([collection, id]) => {
      const byField = Object.entries(clocks.read(collection, id)).filter(
        ([field]) => field !== 'resolvedConflicts',
      );
      return [collection, id, byField.sort()] as const;
    })
    .filter(([, , byField]) => byField.length > 0)
    .sort((a, b) => (a[0] + '\n' + a[1] < b[0] + '\n' + b[1] ? -1 : 1));
  return dump;
}
