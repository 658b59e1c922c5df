/**
 * Test-only: devices that each own a real encrypted vault (memory key store) with the ledger
 * services, a clock the test moves, and the applier; changes travel as the test says.
 */
import type { Change } from '../../../../shared/sync/change.js';
import { AccountService } from '../../ledger/account.service.js';
import { CategoryService } from '../../ledger/category.service.js';
import { TransactionService } from '../../ledger/transaction.service.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { decodeFieldClocks } from '../field-clocks.js';
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

/**
 * Everything a device holds that merging decides, in a canonical order: the synced rows, the
 * kept conflict values, and each record's field clocks.
 */
export function canonicalDump(device: Device): Record<string, unknown> {
  const { db } = device.vault;
  const dump: Record<string, unknown> = {};
  for (const table of SYNCED_TABLES) {
    dump[table] = db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all();
  }
  dump.conflicts = db.prepare('SELECT * FROM sync_conflicts ORDER BY id').all();
  dump.clocks = db
    .prepare<[], { collection: string; record_id: string; clocks: string }>(
      'SELECT * FROM record_clocks ORDER BY collection, record_id',
    )
    .all()
    .map((row) => {
      const byField = [...decodeFieldClocks(row.clocks)].filter(
        ([field]) => field !== 'resolvedConflicts',
      );
      return [row.collection, row.record_id, byField.sort()];
    });
  return dump;
}
