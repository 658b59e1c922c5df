import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { SnapshotManifest } from '../../../../shared/sync/snapshot.js';
import { CLOCKS_COLUMN } from '../../export/export-tables.js';
import { getMeta } from '../../vault/vault-meta.js';
import type { Vault } from '../../vault/vault.js';
import { T0, canonicalDump, createDevice, type Device } from '../apply/apply-test-kit.js';
import { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { RecordClocks } from '../record-clocks.js';
import { bulkLoadSnapshot } from './snapshot-bulk-load.js';
import { sealChunk } from './snapshot-cipher.js';
import { packSnapshot, snapshotEntries, type PackedSnapshot } from './snapshot-codec.js';
import { emitSnapshotLines } from './snapshot-lines.js';
import { editRecords, recordLines } from './snapshot-test-kit.js';

/**
 * The bulk load's own shortcuts, each checked against what the writer held: clocks stored
 * with this vault's device refs, secondary indexes dropped and made again, every line checked
 * inside the one transaction so that content found bad in any chunk applies nothing.
 */
const WORKSPACE = uuidv7(T0);
const KEY_BYTES = randomBytes(32);
const keyring = new WorkspaceKeyring(WORKSPACE, [
  { workspaceId: WORKSPACE, version: 1, key: KEY_BYTES },
]);

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

function load(vault: Vault, packed: PackedSnapshot): void {
  bulkLoadSnapshot(
    vault,
    packed.manifest.seq,
    snapshotEntries(packed.manifest, keyring, (i) => packed.chunks[i]!),
  );
}

/** Seals `lines` (header and end line included) as a snapshot of `perChunk` lines a chunk. */
function seal(lines: readonly string[], perChunk = lines.length): PackedSnapshot {
  const groups: string[][] = [];
  for (let i = 0; i < lines.length; i += perChunk) groups.push(lines.slice(i, i + perChunk));
  const manifest: SnapshotManifest = {
    snapshotId: randomUUID(),
    seq: 9,
    keyVersion: 1,
    chunkCount: groups.length,
    byteLength: 0,
  };
  const chunks = groups.map((group, index) =>
    sealChunk(gzipSync(`${group.join('\n')}\n`), keyring.current(), {
      ...manifest,
      workspaceId: WORKSPACE,
      index,
    }),
  );
  manifest.byteLength = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  return { manifest, chunks };
}

function linesOf(vault: Vault): string[] {
  const lines: string[] = [];
  emitSnapshotLines(vault, (line) => lines.push(line));
  return lines;
}

/** Two devices' writes, merged on A: its clocks name both. */
async function writerWithTwoDevices(): Promise<{ a: Device; b: Device }> {
  const a = await device();
  const b = await device();
  a.accounts.create({ name: 'Checking', currency: 'EUR' });
  for (let i = 0; i < 5; i++) {
    a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-09',
      amountMinor: -(i + 1),
      importId: `row-${i}`,
    });
  }
  b.applier.apply(a.drain());
  b.setNow(T0 + 60_000);
  const first = b.vault.db.prepare('SELECT id FROM transactions ORDER BY id').pluck().get();
  b.transactions.update(first as string, { notes: 'from b' });
  b.categories.create({ name: 'Rent' });
  expect(a.applier.apply(b.drain()).refused).toEqual([]);
  return { a, b };
}

function indexes(vault: Vault): unknown[] {
  return vault.db
    .prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
    .all();
}

function recordCount(vault: Vault): number {
  return Number(vault.db.prepare('SELECT count(*) FROM transactions').pluck().get());
}

function expectRefused(vault: Vault, packed: PackedSnapshot): void {
  const before = indexes(vault);
  expect(() => load(vault, packed)).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
  expect(recordCount(vault)).toBe(0);
  expect(vault.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);
  expect(getMeta(vault.db, 'sync_pulled_seq')).toBeNull();
  expect(indexes(vault)).toEqual(before);
  expect(journalMode(vault)).toBe('wal');
}

function journalMode(vault: Vault): string {
  return String(vault.db.pragma('journal_mode', { simple: true }));
}

describe('bulk load: clocks', () => {
  it("stores the writer's clocks under this vault's device refs, reading back the same HLCs", async () => {
    const { a, b } = await writerWithTwoDevices();
    const target = await device();
    load(
      target.vault,
      packSnapshot(a.vault, keyring.current(), { snapshotId: randomUUID(), seq: 4 }),
    );

    expect(canonicalDump(target)).toEqual(canonicalDump(a));
    const stored = target.vault.db
      .prepare(
        `SELECT ${CLOCKS_COLUMN} FROM transactions UNION ALL SELECT ${CLOCKS_COLUMN} FROM categories`,
      )
      .pluck()
      .all() as string[];
    expect(stored.length).toBe(6);
    for (const text of stored) {
      expect(text).toMatch(/~[0-9a-z]+[=\s]/);
      expect(text).not.toContain(a.vault.deviceId);
      expect(text).not.toContain(b.vault.deviceId);
    }
    const devices = target.vault.db.prepare('SELECT device_id FROM sync_devices').pluck().all();
    expect(devices).toEqual(expect.arrayContaining([a.vault.deviceId, b.vault.deviceId]));
  });

  it('loads a header that lists no devices, its clocks kept with full device ids', async () => {
    const { a } = await writerWithTwoDevices();
    const lines = linesOf(a.vault);
    lines[0] = JSON.stringify(['coffer-snapshot', 1]);
    const target = await device();
    load(target.vault, seal(lines));

    expect(canonicalDump(target)).toEqual(canonicalDump(a));
    const clocks = new RecordClocks(target.vault.db);
    const ids = target.vault.db.prepare('SELECT id FROM transactions').pluck().all() as string[];
    for (const id of ids) {
      expect(clocks.read('transactions', id)).toEqual(
        new RecordClocks(a.vault.db).read('transactions', id),
      );
    }
    const text = target.vault.db
      .prepare(`SELECT ${CLOCKS_COLUMN} FROM transactions LIMIT 1`)
      .pluck()
      .get() as string;
    expect(text).toContain(a.vault.deviceId);
  });

  it('refuses clocks it cannot read: a ref, a wall or counter out of range, an unknown field list, an empty group', async () => {
    const { a } = await writerWithTwoDevices();
    const lines = linesOf(a.vault);
    const writer = a.vault.deviceId;
    for (const bad of [
      'mj2k4ab0.0.~1=t1',
      `zzzzzzzzzz.0.${writer}=t1`,
      `mj2k4ab0.zzzz.${writer}=t1`,
      `mj2k4ab0.0.${writer}=t9`,
      `mj2k4ab0.0.${writer}=t1;`,
      `mj2k4ab0.0.${writer} notes  date`,
      `{"not-an-hlc":"notes"}`,
    ]) {
      let edited = false;
      const broken = editRecords(lines, (line) => {
        if (line[1] === 'transactions' && !edited) {
          line[4] = bad;
          edited = true;
        }
      });
      expectRefused((await device()).vault, seal(broken));
    }
  });

  it('refuses a header whose device list holds something that is not a device id', async () => {
    const { a } = await writerWithTwoDevices();
    const lines = linesOf(a.vault);
    for (const header of [
      ['coffer-snapshot', 1, { devices: ['ok-device', 'not a device'] }],
      ['coffer-snapshot', 1, { devices: 'ok-device' }],
      ['coffer-snapshot', 1, ['ok-device']],
      ['coffer-snapshot', 1, {}, 'more'],
    ]) {
      expectRefused((await device()).vault, seal([JSON.stringify(header), ...lines.slice(1)]));
    }
  });
});

describe('bulk load: secondary indexes', () => {
  it('are all there again after a load, as the vault defines them', async () => {
    const { a } = await writerWithTwoDevices();
    const target = await device();
    const before = indexes(target.vault);
    expect(before.length).toBeGreaterThan(10);
    load(
      target.vault,
      packSnapshot(a.vault, keyring.current(), { snapshotId: randomUUID(), seq: 4 }),
    );
    expect(indexes(target.vault)).toEqual(before);
    // Loaded out of WAL (each page written once), and back in it.
    expect(journalMode(target.vault)).toBe('wal');
    // The index is in use and holds the loaded rows.
    const plan = target.vault.db
      .prepare("EXPLAIN QUERY PLAN SELECT id FROM transactions WHERE date = '2026-01-09'")
      .all() as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' ')).toContain('transactions_date');
    expect(
      target.vault.db
        .prepare("SELECT count(*) FROM transactions WHERE date = '2026-01-09'")
        .pluck()
        .get(),
    ).toBe(5);
  });

  it('a UNIQUE index the rows break when it is made again refuses the load and stays in place', async () => {
    const { a } = await writerWithTwoDevices();
    const broken = editRecords(linesOf(a.vault), (line) => {
      if (line[1] === 'transactions') (line[3] as Record<string, unknown>).importId = 'same-row';
    });
    expectRefused((await device()).vault, seal(broken));
  });
});

describe('bulk load: every line checked inside the one transaction', () => {
  it('content found bad in the last chunk applies nothing of the chunks before it', async () => {
    const { a } = await writerWithTwoDevices();
    // A line a record, so that the records span several chunks.
    const lines = recordLines(linesOf(a.vault));
    // The last record line's clocks name a ref, which no snapshot may.
    const last = lines.findLastIndex((line) => line.startsWith('["r",'));
    const line = JSON.parse(lines[last]!) as unknown[];
    line[4] = 'mj2k4ab0.0.~1=t1';
    lines[last] = JSON.stringify(line);
    const packed = seal(lines, 2);
    expect(packed.manifest.chunkCount).toBeGreaterThan(3);
    const target = await device();
    const before = indexes(target.vault);
    let asked = 0;
    expect(() =>
      bulkLoadSnapshot(
        target.vault,
        packed.manifest.seq,
        snapshotEntries(packed.manifest, keyring, (i) => {
          asked = i + 1;
          return packed.chunks[i]!;
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
    // Earlier chunks were read and written before the bad one was reached.
    expect(asked).toBeGreaterThan(2);
    expect(recordCount(target.vault)).toBe(0);
    expect(target.vault.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);
    expect(indexes(target.vault)).toEqual(before);
    expect(getMeta(target.vault.db, 'sync_pulled_seq')).toBeNull();
  });
});

describe('bulk load: the seen set', () => {
  it('a change the writer applied and displaced, delivered again after the load, is already had', async () => {
    const a = await device();
    const b = await device();
    a.accounts.create({ name: 'Checking', currency: 'EUR' });
    const tx = a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-09',
      amountMinor: -100,
    });
    b.applier.apply(a.drain());
    b.setNow(T0 + 60_000);
    b.transactions.update(tx.id, { amountMinor: -200 });
    const fromB = b.drain();
    expect(a.applier.apply(fromB).applied).toBe(1);
    a.setNow(T0 + 120_000);
    a.transactions.update(tx.id, { amountMinor: -300 });
    a.drain();
    // On the writer, b's change stamps no field any more: only its seen set knows it.
    expect(new RecordClocks(a.vault.db).read('transactions', tx.id).amountMinor).not.toBe(
      fromB[0]!.hlc,
    );

    const target = await device();
    load(
      target.vault,
      packSnapshot(a.vault, keyring.current(), { snapshotId: randomUUID(), seq: 4 }),
    );
    const again = [fromB[0]!, { ...fromB[0]!, id: uuidv7(T0 + 200_000) }];
    const result = target.applier.apply(again);
    expect(result).toMatchObject({ applied: 0, alreadyHad: 2, conflicts: 0 });
    expect(target.vault.db.prepare('SELECT count(*) FROM sync_conflicts').pluck().get()).toBe(0);
    expect(
      target.vault.db
        .prepare('SELECT amount_minor FROM transactions WHERE id = ?')
        .pluck()
        .get(tx.id),
    ).toBe(-300);
  });

  it('still reads a version 1 snapshot, and refuses a version it does not know by name', async () => {
    const { a } = await writerWithTwoDevices();
    // Record lines and no seen set, as version 1 wrote them.
    const lines = recordLines(linesOf(a.vault)).filter((line) => !line.startsWith('["h",'));
    lines[lines.length - 1] = JSON.stringify(['end', lines.length - 1]);
    lines[0] = JSON.stringify(['coffer-snapshot', 1, { devices: [a.vault.deviceId] }]);
    const target = await device();
    load(target.vault, seal(lines));
    expect(canonicalDump(target)).toEqual(canonicalDump(a));

    lines[0] = JSON.stringify(['coffer-snapshot', 5]);
    const newer = await device();
    const refuse = (): void => load(newer.vault, seal(lines));
    expect(refuse).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
    expect(refuse).toThrow(/format version 5 is not one this version reads/);
    expect(recordCount(newer.vault)).toBe(0);
  });
});
