import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHlc } from '../../../../shared/hlc/hlc.js';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { Change } from '../../../../shared/sync/change.js';
import type { SnapshotManifest } from '../../../../shared/sync/snapshot.js';
import { createPopulatedVault } from '../../export/export-test-vault.js';
import { CLOCKS_COLUMN, RECORD_SPECS } from '../../export/export-tables.js';
import { getMeta } from '../../vault/vault-meta.js';
import type { Vault } from '../../vault/vault.js';
import { createTempVault, type TempVault } from '../../testing/temp-vault.js';
import { T0, canonicalDump, createDevice, type Device } from '../apply/apply-test-kit.js';
import { RemoteChangeApplier } from '../apply/remote-change-applier.js';
import { readClockHighWater } from '../clock-high-water.js';
import { RecordClocks } from '../record-clocks.js';
import { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { AccountService } from '../../ledger/account.service.js';
import { TransactionService } from '../../ledger/transaction.service.js';
import { bulkLoadSnapshot } from './snapshot-bulk-load.js';
import { sealChunk } from './snapshot-cipher.js';
import {
  packSnapshot,
  SnapshotChunkReader,
  snapshotEntries,
  type PackedSnapshot,
} from './snapshot-codec.js';
import { emitSnapshotLines } from './snapshot-lines.js';

const WORKSPACE = uuidv7(T0);
const KEY_BYTES = randomBytes(32);
const keyring = (workspaceId = WORKSPACE, version = 1, key = KEY_BYTES): WorkspaceKeyring =>
  new WorkspaceKeyring(workspaceId, [{ workspaceId, version, key }]);

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

async function device(): Promise<Device> {
  const d = await createDevice();
  cleanups.push(() => d.cleanup());
  return d;
}

async function emptyVault(): Promise<TempVault> {
  const temp = await createTempVault({ now: () => T0 + 3_600_000, outbox: true });
  cleanups.push(() => temp.cleanup());
  return temp;
}

function pack(vault: Vault, seq: number, chunkMax?: number): PackedSnapshot {
  return packSnapshot(
    vault,
    keyring().current(),
    { snapshotId: randomUUID(), seq },
    ...(chunkMax === undefined ? [] : [chunkMax]),
  );
}

function load(vault: Vault, packed: PackedSnapshot, ring = keyring()): void {
  bulkLoadSnapshot(
    vault,
    packed.manifest.seq,
    snapshotEntries(packed.manifest, ring, (i) => packed.chunks[i]!),
  );
}

function pendingRows(vault: Vault): unknown[] {
  return vault.db
    .prepare('SELECT change_id, hlc, reason, change_json FROM sync_pending ORDER BY change_id')
    .all();
}

/** A shared history: records, a tombstone, a money conflict, a change from a newer Coffer. */
async function history(): Promise<{ a: Device; log: Change[] }> {
  const a = await device();
  const b = await device();
  const log: Change[] = [];
  a.accounts.create({ name: 'Checking', currency: 'EUR' });
  a.categories.create({ name: 'Food' });
  const tx = a.transactions.create({
    accountId: 'Checking',
    date: '2026-01-09',
    amountMinor: -3000,
    splits: [
      { categoryId: 'Food', amountMinor: -1000, memo: 'bread' },
      { categoryId: 'Food', amountMinor: -2000, memo: '' },
    ],
  });
  const gone = a.transactions.create({
    accountId: 'Checking',
    date: '2026-01-08',
    amountMinor: -5,
  });
  a.transactions.delete(gone.id);
  const first = a.drain();
  log.push(...first);
  b.applier.apply(first);
  // Both edit the amount on top of the same value: a conflict every device keeps.
  a.setNow(T0 + 60_000);
  b.setNow(T0 + 61_000);
  a.transactions.update(tx.id, { amountMinor: -3100, splits: [] });
  b.transactions.update(tx.id, { amountMinor: -3200, splits: [], notes: 'from b' });
  const fromA = a.drain();
  const fromB = b.drain();
  log.push(...fromA, ...fromB);
  a.applier.apply(fromB);
  const future: Change = {
    id: uuidv7(T0 + 70_000),
    collection: 'future_things' as Change['collection'],
    recordId: 'thing-1',
    op: 'upsert',
    fields: { shape: 'round' },
    base: {},
    hlc: formatHlc({ wallMs: T0 + 70_000, counter: 0, deviceId: 'newer-device' }),
    deviceId: 'newer-device',
  };
  log.push(future);
  a.applier.apply([future]);
  expect(a.vault.db.prepare('SELECT count(*) FROM sync_conflicts').pluck().get()).toBe(2);
  expect(pendingRows(a.vault)).toHaveLength(1);
  return { a, log };
}

describe('snapshot codec: round trip on a real vault', () => {
  it('loads into an empty vault the same records, tombstones, kept values and pending changes as applying the log', async () => {
    const { a, log } = await history();
    const packed = pack(a.vault, 7);
    const fromSnapshot = await device();
    load(fromSnapshot.vault, packed);
    const fromLog = await device();
    fromLog.setNow(T0 + 3_600_000);
    expect(fromLog.applier.apply(log).refused).toEqual([]);

    expect(canonicalDump(fromSnapshot)).toEqual(canonicalDump(fromLog));
    expect(canonicalDump(fromSnapshot)).toEqual(canonicalDump(a));
    expect(pendingRows(fromSnapshot.vault)).toEqual(pendingRows(fromLog.vault));
    expect(getMeta(fromSnapshot.vault.db, 'sync_pulled_seq')).toBe('7');
    // The loaded clocks bound this device's next HLC.
    expect(readClockHighWater(fromSnapshot.vault.db)! >= log.at(-1)!.hlc).toBe(true);
    // Nothing loaded is this device's to push.
    expect(fromSnapshot.vault.changes.pendingCount()).toBe(0);
  });

  it('carries every synced collection, quotes and invoices that refer to each other included', async () => {
    const populated = await createPopulatedVault();
    cleanups.push(() => populated.cleanup());
    const log = populated.vault.changes.pending(1_000_000).map((entry) => entry.change);
    const packed = pack(populated.vault, 99, 4_000);
    expect(packed.manifest.chunkCount).toBeGreaterThan(1);

    const fromSnapshot = await emptyVault();
    load(fromSnapshot.vault, packed);
    const fromLog = await emptyVault();
    const applied = new RemoteChangeApplier(fromLog.vault).apply(log);
    expect(applied.refused).toEqual([]);
    expect(syncedState(fromSnapshot.vault)).toEqual(syncedState(fromLog.vault));
    for (const spec of RECORD_SPECS) {
      if (spec.table === 'document_profile') continue;
      expect(rowsOf(fromSnapshot.vault, spec.table).length, spec.table).toBeGreaterThan(0);
    }
  });

  it('keeps text of every UTF-8 width exactly, on any line of a chunk and beside ASCII lines', async () => {
    const source = await emptyVault();
    const accounts = new AccountService(source.vault);
    const transactions = new TransactionService(source.vault);
    accounts.create({ name: 'Compte courant', currency: 'EUR' });
    // One byte, two, three and four a character, a line break and a quote inside a value.
    const notes = ['plain', 'Zoë Ångström', 'café € 日本', 'coins 💶🪙', 'two\nlines "quoted"'];
    notes.forEach((note, i) =>
      transactions.create({
        accountId: 'Compte courant',
        date: '2026-01-09',
        amountMinor: -(i + 1),
        notes: note,
      }),
    );
    // Chunks small enough that some hold only ASCII lines and some mix both.
    const packed = pack(source.vault, 4, 700);
    expect(packed.manifest.chunkCount).toBeGreaterThan(1);
    const target = await emptyVault();
    load(target.vault, packed);
    const loaded = target.vault.db
      .prepare('SELECT notes FROM transactions ORDER BY amount_minor DESC')
      .pluck()
      .all();
    expect(loaded).toEqual(notes);
    expect(syncedState(target.vault)).toEqual(syncedState(source.vault));
  });

  it('refuses to bulk-load into a vault that already holds records', async () => {
    const { a } = await history();
    const packed = pack(a.vault, 3);
    const other = await device();
    other.accounts.create({ name: 'Mine', currency: 'EUR' });
    expect(() => load(other.vault, packed)).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
  });
});

describe('snapshot codec: tampering is refused and nothing is applied', () => {
  async function twoSnapshots(): Promise<{ first: PackedSnapshot; second: PackedSnapshot }> {
    const { a } = await history();
    const first = pack(a.vault, 7, 600);
    const second = pack(a.vault, 7, 600);
    expect(first.manifest.chunkCount).toBeGreaterThan(2);
    expect(second.manifest.chunkCount).toBe(first.manifest.chunkCount);
    return { first, second };
  }

  async function expectRefused(
    manifest: SnapshotManifest,
    chunks: Buffer[],
    ring = keyring(),
  ): Promise<void> {
    const target = await emptyVault();
    const before = canonicalState(target.vault);
    expect(() =>
      bulkLoadSnapshot(
        target.vault,
        manifest.seq,
        snapshotEntries(manifest, ring, (i) => {
          const chunk = chunks[i];
          if (chunk === undefined) throw new Error(`no chunk ${i}`);
          return chunk;
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
    expect(canonicalState(target.vault)).toEqual(before);
    expect(getMeta(target.vault.db, 'sync_pulled_seq')).toBeNull();
  }

  it('a chunk swapped in from another snapshot at the same index', async () => {
    const { first, second } = await twoSnapshots();
    const chunks = [...first.chunks];
    chunks[1] = second.chunks[1]!;
    await expectRefused(first.manifest, chunks);
  });

  it('chunks in another order', async () => {
    const { first } = await twoSnapshots();
    const chunks = [...first.chunks];
    [chunks[1], chunks[2]] = [chunks[2]!, chunks[1]!];
    await expectRefused(first.manifest, chunks);
  });

  it('the last chunk cut short, dropped, or the snapshot relabelled as shorter', async () => {
    const { first } = await twoSnapshots();
    const cut = [...first.chunks];
    cut[cut.length - 1] = cut.at(-1)!.subarray(0, cut.at(-1)!.length - 1);
    await expectRefused(first.manifest, cut);
    const shorter = { ...first.manifest, chunkCount: first.manifest.chunkCount - 1 };
    await expectRefused(shorter, first.chunks.slice(0, -1));
  });

  it('a wrong workspace, seq or key version in the labels', async () => {
    const { first } = await twoSnapshots();
    await expectRefused(first.manifest, first.chunks, keyring(uuidv7(T0 + 1)));
    await expectRefused({ ...first.manifest, seq: first.manifest.seq + 1 }, first.chunks);
    await expectRefused(
      { ...first.manifest, keyVersion: 2 },
      first.chunks,
      new WorkspaceKeyring(WORKSPACE, [
        { workspaceId: WORKSPACE, version: 1, key: KEY_BYTES },
        { workspaceId: WORKSPACE, version: 2, key: KEY_BYTES },
      ]),
    );
  });

  it('authentic chunks whose records break the vault: a reference to a record it lacks', async () => {
    const { a } = await history();
    // A writer that left out the accounts: its transactions point at nothing.
    const text = `${JSON.stringify(['coffer-snapshot', 1])}\n`;
    const lines = packedLines(a.vault).filter(
      (line) => !line.startsWith('["r","accounts"') && !line.startsWith('["R","accounts"'),
    );
    const body = [text.trimEnd(), ...lines.slice(1, -1), JSON.stringify(['end', lines.length - 1])];
    const one = sealOne(`${body.join('\n')}\n`);
    await expectRefused(one.manifest, one.chunks);
  });

  it('authentic chunks that end inside a line, or inflate to nothing', async () => {
    const { a } = await history();
    const lines = packedLines(a.vault);
    const whole = sealOne(`${lines.join('\n')}\n`);
    const target = await emptyVault();
    load(target.vault, { manifest: whole.manifest, chunks: whole.chunks });
    // The same lines without the newline that ends the last one.
    const cut = sealOne(lines.join('\n'));
    await expectRefused(cut.manifest, cut.chunks);
    const empty = sealOne('');
    await expectRefused(empty.manifest, empty.chunks);
  });

  it('a flipped byte anywhere in a chunk', async () => {
    const { first } = await twoSnapshots();
    const chunks = [...first.chunks];
    const bad = Buffer.from(chunks[0]!);
    bad[bad.length >> 1]! ^= 0x01;
    chunks[0] = bad;
    await expectRefused(first.manifest, chunks);
  });
});

describe('snapshot codec: streamed', () => {
  it('reads a large snapshot one chunk at a time, loading each before the next is read', async () => {
    const source = await emptyVault();
    new AccountService(source.vault).create({ name: 'Checking', currency: 'EUR' });
    const transactions = new TransactionService(source.vault);
    source.vault.transaction(() => {
      for (let i = 0; i < 3_000; i++) {
        transactions.create({
          accountId: 'Checking',
          date: '2026-01-09',
          amountMinor: -(i + 1),
          notes: `note ${i} ${randomBytes(8).toString('hex')}`,
        });
      }
    });
    const packed = pack(source.vault, 5, 8_000);
    expect(packed.manifest.chunkCount).toBeGreaterThan(8);

    const target = await emptyVault();
    const loadedWhenAsked: number[] = [];
    bulkLoadSnapshot(
      target.vault,
      5,
      snapshotEntries(packed.manifest, keyring(), (i) => {
        loadedWhenAsked.push(
          Number(target.vault.db.prepare('SELECT count(*) FROM transactions').pluck().get()),
        );
        return packed.chunks[i]!;
      }),
    );
    // Each chunk was asked for only after the one before it was written into the vault.
    for (let i = 1; i < loadedWhenAsked.length; i++) {
      expect(loadedWhenAsked[i]).toBeGreaterThan(loadedWhenAsked[i - 1]!);
    }
    expect(target.vault.db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(3_000);

    // Within a chunk, entries come a few hundred at a time, the same ones a whole read gives.
    const whole = pack(source.vault, 5);
    expect(whole.manifest.chunkCount).toBe(1);
    const batches = [...snapshotEntries(whole.manifest, keyring(), (i) => whole.chunks[i]!)];
    expect(batches.length).toBeGreaterThan(10);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(256);
    const reader = new SnapshotChunkReader(whole.manifest, keyring());
    expect(batches.flat()).toEqual(reader.read(0, whole.chunks[0]!));
    reader.finish();
  });
});

/** The snapshot lines the vault's state makes, header and end line included. */
/** `text` gzipped and sealed as the one chunk of a snapshot at seq 7. */
function sealOne(text: string): { manifest: SnapshotManifest; chunks: Buffer[] } {
  const manifest: SnapshotManifest = {
    snapshotId: randomUUID(),
    seq: 7,
    keyVersion: 1,
    chunkCount: 1,
    byteLength: 1,
  };
  const sealed = sealChunk(gzipSync(text), keyring().current(), {
    ...manifest,
    workspaceId: WORKSPACE,
    index: 0,
  });
  return { manifest: { ...manifest, byteLength: sealed.length }, chunks: [sealed] };
}

function packedLines(vault: Vault): string[] {
  const lines: string[] = [];
  emitSnapshotLines(vault, (line) => lines.push(line));
  return lines;
}

function rowsOf(vault: Vault, table: string): unknown[] {
  return vault.db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();
}

/** Every synced table's rows by id (attachment bytes travel apart), and every record's clocks. */
function syncedState(vault: Vault): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const spec of RECORD_SPECS) {
    const omit = new Set(spec.omit ?? []);
    const local = new Set([...omit, CLOCKS_COLUMN]);
    state[spec.table] = (
      vault.db.prepare(`SELECT * FROM "${spec.table}" ORDER BY id`).all() as Record<
        string,
        unknown
      >[]
    ).map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !local.has(k))));
    for (const child of spec.children ?? []) {
      state[child.table] = vault.db
        .prepare(`SELECT * FROM "${child.table}" ORDER BY "${child.parentColumn}", position`)
        .all()
        .map((row) => {
          const { id: _id, ...rest } = row as Record<string, unknown>;
          return rest;
        });
    }
  }
  // Full HLCs: the in-row text names devices by this vault's own refs.
  const clocks = new RecordClocks(vault.db);
  state.clocks = RECORD_SPECS.flatMap((spec) =>
    (vault.db.prepare(`SELECT id FROM "${spec.table}" ORDER BY id`).pluck().all() as string[]).map(
      (id) => [spec.collection, id, Object.entries(clocks.read(spec.collection, id)).sort()],
    ),
  );
  return state;
}

function canonicalState(vault: Vault): unknown {
  return {
    ...syncedState(vault),
    conflicts: vault.db.prepare('SELECT * FROM sync_conflicts ORDER BY id').all(),
    pending: pendingRows(vault),
  };
}
