import { afterEach, describe, expect, it } from 'vitest';

import type { Change } from '../../../../shared/sync/change.js';
import { createPopulatedVault, type PopulatedVault } from '../../export/export-test-vault.js';
import { exportVault } from '../../export/export-vault.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { RemoteChangeApplier } from '../apply/remote-change-applier.js';
import { RecordClocks } from '../record-clocks.js';
import { SyncAccountRepository } from '../sync-account.repository.js';
import { StateUpload, skipFirstUploadIfEmpty } from './state-upload.js';

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
  // Linked only now, after its records were written, as a local-only vault is.
  source.vault.db.prepare("DELETE FROM meta WHERE key IN ('sync_outbox', 'sync_linked_hlc')").run();
  source.vault.changes.enableOutbox();
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

  it('stamps records that keep no clock, or lack one for a field, and the fresh device still gets them whole', async () => {
    const source = await localOnlyVault();
    const { db } = source.vault;
    const [first, second] = db
      .prepare<[], string>('SELECT id FROM transactions WHERE deleted_at IS NULL ORDER BY id')
      .pluck()
      .all();
    db.prepare("DELETE FROM record_clocks WHERE collection = 'clients'").run();
    db.prepare('UPDATE clients SET sync_clocks = NULL').run();
    db.prepare('DELETE FROM record_clocks WHERE record_id = ?').run(first);
    db.prepare('UPDATE transactions SET sync_clocks = NULL WHERE id = ?').run(first);
    // As for a column a migration added after the record was written: no clock for it.
    const clocks = new RecordClocks(db);
    const held = clocks.read('transactions', String(second));
    delete held.currency;
    db.prepare('UPDATE transactions SET sync_clocks = ? WHERE id = ?').run(
      clocks.encode(held),
      second,
    );

    emitAll(source, 500);
    const changes = drainOutbox(source);
    expect(changes.some((c) => c.recordId === first)).toBe(true);
    expect(Object.keys(clocks.read('transactions', String(second)))).toContain('currency');
    const target = await freshDevice();
    const result = new RemoteChangeApplier(target.vault).apply(changes);
    expect(result.refused).toEqual([]);
    expect(result.deferred).toBe(0);
    expect(records(target)).toEqual(records(source));
  });

  it('sends nothing written after linking (the outbox has it) and runs only once', async () => {
    const source = await localOnlyVault();
    source.services.clients.create({ name: 'Written after linking' });
    const pending = drainOutbox(source);
    // Put the post-link change back, as if not pushed yet.
    const emitted = (() => {
      const { db } = source.vault;
      db.prepare(
        `INSERT INTO outbox (id, collection, record_id, op, fields_json, base_json, hlc, device_id, created_at)
         VALUES (?, ?, ?, ?, ?, '{}', ?, ?, 0)`,
      ).run(
        pending[0]!.id,
        pending[0]!.collection,
        pending[0]!.recordId,
        pending[0]!.op,
        JSON.stringify(pending[0]!.fields),
        pending[0]!.hlc,
        pending[0]!.deviceId,
      );
      emitAll(source, 500);
      return drainOutbox(source).slice(1);
    })();
    expect(emitted.length).toBeGreaterThan(20);
    expect(emitted.some((c) => c.hlc === pending[0]!.hlc)).toBe(false);
    expect(emitAll(source, 500)).toBe(0);
    expect(drainOutbox(source)).toEqual([]);
  });
});

describe('linking a vault', () => {
  it('queues no first upload for a vault that holds no record, and one for a vault that does', async () => {
    const empty = await freshDevice();
    empty.vault.transaction(() => skipFirstUploadIfEmpty(empty.vault));
    // What a first pull brings in afterwards is not this vault's to upload.
    const source = await localOnlyVault();
    emitAll(source, 50);
    const applied = new RemoteChangeApplier(empty.vault).apply(drainOutbox(source));
    expect(applied.applied).toBeGreaterThan(20);
    const upload = new StateUpload(empty.vault);
    upload.startFirstUpload();
    expect(upload.pending()).toBe(false);

    const held = await localOnlyVault();
    held.vault.db.prepare("DELETE FROM meta WHERE key = 'sync_state_uploaded'").run();
    held.vault.transaction(() => skipFirstUploadIfEmpty(held.vault));
    const heldUpload = new StateUpload(held.vault);
    heldUpload.startFirstUpload();
    expect(heldUpload.pending()).toBe(true);
  });
});

describe('StateUpload (re-push)', () => {
  it('re-sends state for a device whose role sends nothing: kept in its outbox, not refused as an edit', async () => {
    const source = await localOnlyVault();
    const { db } = source.vault;
    // Fields with no clock are stamped as this device's writes while they are re-sent.
    db.prepare("DELETE FROM record_clocks WHERE collection = 'clients'").run();
    db.prepare('UPDATE clients SET sync_clocks = NULL').run();
    source.vault.transaction(() =>
      new SyncAccountRepository(db).saveWorkspace({
        workspaceId: 'ws-viewer',
        name: 'Read only here',
        role: 'viewer',
        joinedAt: 1,
      }),
    );
    // A viewer's own new edit is still refused.
    expect(() =>
      source.vault.transaction(() =>
        source.vault.changes.record('clients', 'client-new', 'upsert', { name: 'New' }),
      ),
    ).toThrow(expect.objectContaining({ code: 'ROLE_FORBIDDEN' }));

    emitAll(source, 500);
    const changes = drainOutbox(source);
    expect(changes.some((c) => c.collection === 'clients')).toBe(true);
    const target = await freshDevice();
    const result = new RemoteChangeApplier(target.vault).apply(changes);
    expect(result.refused).toEqual([]);
    expect(records(target)).toEqual(records(source));
  });

  it("sends only this device's fields stamped at or after the given HLC", async () => {
    const source = await localOnlyVault();
    emitAll(source, 500);
    const all = drainOutbox(source);
    const hlcs = [...new Set(all.map((c) => c.hlc))].sort();
    const from = hlcs[Math.floor(hlcs.length / 2)]!;

    const upload = new StateUpload(source.vault);
    source.vault.transaction(() => upload.startRepush(from));
    while (upload.pending()) upload.emitChunk(5);
    const again = drainOutbox(source);
    expect(again.length).toBeGreaterThan(0);
    expect(again.every((c) => c.hlc >= from)).toBe(true);
    const expected = all.filter((c) => c.hlc >= from).map((c) => `${c.recordId} ${c.hlc}`);
    expect(again.map((c) => `${c.recordId} ${c.hlc}`).sort()).toEqual(
      expect.arrayContaining(expected.sort()),
    );
  });
});
