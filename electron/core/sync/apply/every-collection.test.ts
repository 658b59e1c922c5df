import { afterEach, describe, expect, it } from 'vitest';
import { COLLECTIONS, type Change } from '../../../../shared/sync/change.js';
import { createPopulatedVault, type PopulatedVault } from '../../export/export-test-vault.js';
import type { ExportRow } from '../../export/export-document.js';
import { exportVault } from '../../export/export-vault.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { RemoteChangeApplier } from './remote-change-applier.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/**
 * The synced records of a vault, as an export holds them. Not compared: attachment bytes
 * (they travel apart from changes) and the local invoice-number counter (device state).
 */
function syncedRecords(vault: TempVault['vault']): Record<string, ExportRow[]> {
  const { collections } = exportVault(vault);
  const out: Record<string, ExportRow[]> = {};
  for (const [table, rows] of Object.entries(collections)) {
    if (table === 'invoice_counter') continue;
    out[table] = rows.map((row) => (table === 'attachments' ? { ...row, content: null } : row));
  }
  return out;
}

async function freshVault(): Promise<TempVault> {
  const temp = await createTempVault({ now: () => Date.UTC(2025, 2, 2, 9), outbox: true });
  cleanups.push(() => temp.cleanup());
  return temp;
}

describe('RemoteChangeApplier: every collection', () => {
  it('rebuilds a vault holding every kind of record from its changes, in order or reversed', async () => {
    const source: PopulatedVault = await createPopulatedVault();
    cleanups.push(() => source.cleanup());
    const changes: Change[] = source.vault.changes.pending(1_000_000).map((e) => e.change);
    expect(new Set(changes.map((c) => c.collection))).toEqual(new Set(COLLECTIONS));
    const expected = syncedRecords(source.vault);

    for (const order of [changes, [...changes].reverse()]) {
      const target = await freshVault();
      const result = new RemoteChangeApplier(target.vault).apply(order);
      expect(result).toMatchObject({ applied: changes.length, deferred: 0, refused: [] });
      expect(syncedRecords(target.vault)).toEqual(expected);
      expect(target.vault.changes.pending()).toEqual([]);
    }
  });
});
