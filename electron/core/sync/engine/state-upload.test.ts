import { afterEach, describe, expect, it } from 'vitest';

import type { Change } from '../../../../shared/sync/change.js';
import { createPopulatedVault, type PopulatedVault } from '../../export/export-test-vault.js';
import { exportVault } from '../../export/export-vault.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { RemoteChangeApplier } from '../apply/remote-change-applier.js';
import { StateUpload } from './state-upload.js';

/**
 * The first upload at the level of the vault: a vault's records, put in its outbox by
 * StateUpload, applied on a fresh device, give the same records. (The CLI test
 * cli-first-upload.e2e.test.ts proves the same through the real server.)
 */
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The populated vault as a local-only vault would hold it: the same rows, no outbox. */
async function localOnlyVault(): Promise<PopulatedVault> {
  const source = await createPopulatedVault();
  cleanups.push(() => source.cleanup());
  source.vault.db.prepare('DELETE FROM outbox').run();
  return source;
}

async function freshDevice(): Promise<TempVault> {
  const device = await createTempVault({ outbox: true, now: () => Date.UTC(2025, 2, 2) });
  cleanups.push(() => device.cleanup());
  return device;
}

function drainOutbox(temp: TempVault): Change[] {
  const changes = temp.vault.changes.pending(1_000_000).map((entry) => entry.change);
  temp.vault.changes.acknowledge(changes.map((c) => c.id));
  return changes;
}

function emitAll(temp: TempVault, chunk: number): number {
  const upload = new StateUpload(temp.vault);
  upload.startFirstUpload();
  let chunks = 0;
  while (upload.pending()) {
    upload.emitChunk(chunk);
    chunks++;
  }
  return chunks;
}

/** What both devices must agree on: every synced table (attachments' bytes travel apart). */
function records(temp: TempVault): Record<string, unknown> {
  const doc = exportVault(temp.vault);
  const { invoice_counter: _counter, attachments, ...rest } = doc.collections;
  return {
    ...rest,
    attachments: (attachments ?? []).map(({ content: _content, ...row }) => row),
  };
}

describe('StateUpload (first upload)', () => {
  it('emits every record and tombstone in chunks, and a fresh device applying them holds the same records', async () => {
    const source = await localOnlyVault();
    const chunks = emitAll(source, 7);
    expect(chunks).toBeGreaterThan(3);
    const changes = drainOutbox(source);
    expect(changes.length).toBeGreaterThan(20);
    // Each base names the record's first change, which carries every field and no base.
    const sent = new Set(changes.map((change) => `${change.recordId} ${change.hlc}`));
    for (const change of changes) {
      for (const base of Object.values(change.base)) {
        if (base !== null) expect(sent.has(`${change.recordId} ${base}`)).toBe(true);
      }
    }

    const target = await freshDevice();
    const result = new RemoteChangeApplier(target.vault).apply(changes);
    expect(result.refused).toEqual([]);
    expect(result.deferred).toBe(0);
    expect(records(target)).toEqual(records(source));
  });
});
