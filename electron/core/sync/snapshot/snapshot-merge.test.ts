import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { Change } from '../../../../shared/sync/change.js';
import { getMeta } from '../../vault/vault-meta.js';
import { T0, canonicalDump, createDevice, type Device } from '../apply/apply-test-kit.js';
import { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { packSnapshot, snapshotEntries } from './snapshot-codec.js';
import { mergeSnapshot } from './snapshot-merge.js';

const WORKSPACE = uuidv7(T0);
const ring = new WorkspaceKeyring(WORKSPACE, [
  { workspaceId: WORKSPACE, version: 1, key: randomBytes(32) },
]);

let devices: Device[] = [];
afterEach(() => {
  for (const d of devices) d.cleanup();
  devices = [];
});

async function device(): Promise<Device> {
  const d = await createDevice();
  devices.push(d);
  return d;
}

/** Merges a snapshot of `from`'s vault, taken at log seq `seq`, into `into`. */
function rebootstrap(from: Device, into: Device, seq: number): ReturnType<typeof mergeSnapshot> {
  const packed = packSnapshot(from.vault, ring.current(), { snapshotId: randomUUID(), seq }, 700);
  return mergeSnapshot(
    into.vault,
    seq,
    snapshotEntries(packed.manifest, ring, (i) => packed.chunks[i]!),
  );
}

/** The outbox without acknowledging it: what the device will push after the merge. */
const outbox = (d: Device): Change[] =>
  d.vault.changes.pending(1_000_000).map((entry) => entry.change);

describe('re-bootstrap: merging a snapshot into a vault that holds records', () => {
  it('keeps an unsynced local edit where it is newer, takes the snapshot where it is, and ends where applying the log would', async () => {
    const a = await device();
    const b = await device();
    const log: Change[] = [];
    a.accounts.create({ name: 'Checking', currency: 'EUR' });
    const tx = a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-09',
      amountMinor: -1000,
      notes: 'first',
    });
    const other = a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-10',
      amountMinor: -77,
    });
    const created = a.drain();
    log.push(...created);
    b.applier.apply(created);

    // B goes offline. A edits on; the server later prunes all of it into A's snapshot.
    a.setNow(T0 + 10_000);
    a.transactions.update(tx.id, { notes: 'a older note', amountMinor: -1100 });
    a.setNow(T0 + 11_000);
    a.transactions.update(other.id, { amountMinor: -88 });
    a.transactions.create({ accountId: 'Checking', date: '2026-01-11', amountMinor: -5 });
    log.push(...a.drain());

    // B, offline, edits: a newer note, and the other amount on top of the value it had.
    b.setNow(T0 + 20_000);
    b.transactions.update(tx.id, { notes: 'b newer note' });
    b.transactions.update(other.id, { amountMinor: -99 });
    const unsynced = outbox(b);
    expect(unsynced.length).toBe(2);

    a.setNow(T0 + 30_000);
    b.setNow(T0 + 30_000);
    const result = rebootstrap(a, b, 42);
    expect(result.refused).toEqual([]);

    // Nothing unsynced is lost: still in the outbox, to be pushed next.
    expect(outbox(b).map((c) => c.id)).toEqual(unsynced.map((c) => c.id));
    expect(getMeta(b.vault.db, 'sync_pulled_seq')).toBe('42');
    const bTx = b.transactions.get(tx.id);
    expect(bTx.notes).toBe('b newer note');
    expect(bTx.amountMinor).toBe(-1100);
    expect(b.vault.db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(3);
    // Two edits on top of the same amount: both kept, the newer (B's) stored.
    expect(b.transactions.get(other.id).amountMinor).toBe(-99);
    expect(b.conflicts.list().map((c) => c.field)).toEqual(['amountMinor']);

    // The same state as a device that applied the whole log and then B's pushed edits.
    const truth = await device();
    truth.setNow(T0 + 30_000);
    expect(truth.applier.apply([...log, ...unsynced]).refused).toEqual([]);
    expect(canonicalDump(b)).toEqual(canonicalDump(truth));
    // And A, once B's edits arrive, agrees.
    a.applier.apply(unsynced);
    expect(canonicalDump(a)).toEqual(canonicalDump(truth));
  });

  it('an unsynced local edit older than the snapshot loses, and is still pushed', async () => {
    const a = await device();
    const b = await device();
    a.accounts.create({ name: 'Checking', currency: 'EUR' });
    const tx = a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-09',
      amountMinor: -1000,
      notes: 'first',
    });
    b.applier.apply(a.drain());
    b.setNow(T0 + 5_000);
    b.transactions.update(tx.id, { notes: 'b older note' });
    a.setNow(T0 + 9_000);
    a.transactions.update(tx.id, { notes: 'a newer note' });
    a.drain();

    b.setNow(T0 + 30_000);
    rebootstrap(a, b, 7);
    expect(b.transactions.get(tx.id).notes).toBe('a newer note');
    expect(outbox(b)).toHaveLength(1);
  });

  it('drops kept values the log settled, keeps the ones the snapshot still holds', async () => {
    const a = await device();
    const b = await device();
    const c = await device();
    a.accounts.create({ name: 'Checking', currency: 'EUR' });
    const tx = a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-09',
      amountMinor: -1,
    });
    const created = a.drain();
    b.applier.apply(created);
    c.applier.apply(created);
    // A and C edit the amount concurrently; B sees both: a conflict.
    a.setNow(T0 + 1_000);
    c.setNow(T0 + 2_000);
    a.transactions.update(tx.id, { amountMinor: -2 });
    c.transactions.update(tx.id, { amountMinor: -3 });
    const fromA = a.drain();
    const fromC = c.drain();
    b.setNow(T0 + 3_000);
    b.applier.apply([...fromA, ...fromC]);
    expect(b.conflicts.list()).toHaveLength(1);
    // B goes offline; A resolves the conflict, which the snapshot then holds.
    a.setNow(T0 + 4_000);
    a.applier.apply(fromC);
    const [open] = a.conflicts.list();
    a.conflicts.resolve(open!.id, 'theirs');
    a.drain();
    expect(a.conflicts.list()).toHaveLength(0);

    b.setNow(T0 + 30_000);
    rebootstrap(a, b, 9);
    expect(b.conflicts.list()).toHaveLength(0);
    expect(canonicalDump(b)).toEqual(canonicalDump(a));
  });
});
