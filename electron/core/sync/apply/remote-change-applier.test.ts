import { afterEach, describe, expect, it } from 'vitest';
import { formatHlc } from '../../../../shared/hlc/hlc.js';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { Change } from '../../../../shared/sync/change.js';
import { readClockHighWater } from '../clock-high-water.js';
import { T0, canonicalDump, createDevice, type Device } from './apply-test-kit.js';

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

interface Shared {
  a: Device;
  b: Device;
  txId: string;
  /** The changes that created the account and the transaction. */
  creates: Change[];
}

/** A: an account and a transaction of -1234 on it; B has applied them. */
async function sharedTransaction(): Promise<Shared> {
  const a = await device();
  const b = await device();
  a.accounts.create({ name: 'Checking', currency: 'EUR' });
  const tx = a.transactions.create({
    accountId: 'Checking',
    date: '2026-01-09',
    amountMinor: -1234,
    notes: 'groceries',
  });
  const creates = a.drain();
  expect(b.applier.apply(creates).applied).toBe(2);
  return { a, b, txId: tx.id, creates };
}

const amountOf = (d: Device, id: string): number => d.transactions.get(id).amountMinor;
const notesOf = (d: Device, id: string): string => d.transactions.get(id).notes;

/** A hand-made change from a device that exists only in the test. */
function remoteChange(over: Partial<Change> & { wallMs: number; deviceId?: string }): Change {
  const deviceId = over.deviceId ?? 'remote-device';
  const hlc = formatHlc({ wallMs: over.wallMs, counter: 0, deviceId });
  return {
    id: uuidv7(over.wallMs),
    collection: over.collection ?? 'payees',
    recordId: over.recordId ?? 'payee-1',
    op: over.op ?? 'upsert',
    fields: over.fields ?? { name: 'Bakery', createdAt: T0, updatedAt: T0 },
    base: over.base ?? {},
    hlc,
    deviceId,
  };
}

describe('RemoteChangeApplier: applying', () => {
  it('creates the records another device wrote, with the same columns, splits included', async () => {
    const a = await device();
    const b = await device();
    a.accounts.create({ name: 'Checking', currency: 'EUR', openingBalanceMinor: 5000 });
    a.categories.create({ name: 'Food' });
    a.categories.create({ name: 'Home' });
    const tx = a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-09',
      amountMinor: -3000,
      splits: [
        { categoryId: 'Food', amountMinor: -1000, memo: 'bread' },
        { categoryId: 'Home', amountMinor: -2000, memo: '' },
      ],
    });
    const result = b.applier.apply(a.drain());
    expect(result).toEqual({ applied: 4, alreadyHad: 0, conflicts: 0, deferred: 0, refused: [] });
    expect(b.transactions.get(tx.id)).toEqual(a.transactions.get(tx.id));
    expect(canonicalDump(b)).toEqual(canonicalDump(a));
  });

  it('never puts an applied change in the outbox, but stamps the record clocks', async () => {
    const { a, b, txId } = await sharedTransaction();
    expect(b.vault.changes.pending()).toEqual([]);
    expect(b.vault.changes.fieldClocks('transactions', txId)).toEqual(
      a.vault.changes.fieldClocks('transactions', txId),
    );
  });

  it('is idempotent: a change delivered again is counted alreadyHad and changes nothing', async () => {
    const { b, creates } = await sharedTransaction();
    const before = canonicalDump(b);
    expect(b.applier.apply([...creates, ...creates])).toMatchObject({ applied: 0, alreadyHad: 4 });
    expect(canonicalDump(b)).toEqual(before);
  });

  it("counts a device's own changes coming back as alreadyHad", async () => {
    const { a, creates, txId } = await sharedTransaction();
    a.transactions.update(txId, { notes: 'later' });
    expect(a.applier.apply(creates)).toMatchObject({ applied: 0, alreadyHad: 2 });
    expect(notesOf(a, txId)).toBe('later');
  });

  it('keeps an edit that arrives before its record, and applies it once the record comes', async () => {
    const { a, txId, creates } = await sharedTransaction();
    const c = await device();
    a.transactions.update(txId, { notes: 'corrected' });
    const edit = a.drain();
    expect(c.applier.apply(edit)).toMatchObject({ applied: 0, deferred: 1 });
    // The transaction before its account, too: it waits for the account.
    expect(c.applier.apply([...creates].reverse())).toMatchObject({ applied: 3, deferred: 0 });
    expect(notesOf(c, txId)).toBe('corrected');
    expect(canonicalDump(c)).toEqual(canonicalDump(a));
  });

  it('a split transaction whose category has not arrived waits whole: no row, no splits', async () => {
    const a = await device();
    const b = await device();
    a.accounts.create({ name: 'Checking', currency: 'EUR' });
    a.categories.create({ name: 'Food' });
    a.categories.create({ name: 'Home' });
    const tx = a.transactions.create({
      accountId: 'Checking',
      date: '2026-01-09',
      amountMinor: -3000,
      splits: [
        { categoryId: 'Food', amountMinor: -1000, memo: '' },
        { categoryId: 'Home', amountMinor: -2000, memo: '' },
      ],
    });
    const [account, food, home, created] = a.drain() as [Change, Change, Change, Change];
    expect(b.applier.apply([account, food, created])).toMatchObject({ applied: 2, deferred: 1 });
    const count = (table: string): unknown =>
      b.vault.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect([count('transactions'), count('transaction_splits')]).toEqual([0, 0]);
    expect(b.vault.changes.fieldClocks('transactions', tx.id)).toEqual({});
    expect(b.applier.apply([home])).toMatchObject({ applied: 2, deferred: 0 });
    expect(b.transactions.get(tx.id)).toEqual(a.transactions.get(tx.id));
  });

  it('refuses a value of the wrong type and writes nothing of that change', async () => {
    const { a, b, txId } = await sharedTransaction();
    a.transactions.update(txId, { amountMinor: -99 });
    const [edit] = a.drain() as [Change];
    const forged = { ...edit, fields: { ...edit.fields, amountMinor: '-99' } };
    const before = canonicalDump(b);
    const result = b.applier.apply([forged]);
    expect(result.applied).toBe(0);
    expect(result.refused).toEqual([
      {
        changeId: edit.id,
        code: 'INVALID_CHANGE',
        message: expect.stringContaining('amountMinor') as unknown,
      },
    ]);
    expect(canonicalDump(b)).toEqual(before);
  });

  it('refuses a change that claims to be older than the value it replaced', async () => {
    const b = await device();
    const change = remoteChange({ wallMs: T0 });
    const result = b.applier.apply([
      { ...change, base: { name: formatHlc({ wallMs: T0 + 1, counter: 0, deviceId: 'x' }) } },
    ]);
    expect(result.refused.map((r) => r.code)).toEqual(['INVALID_CHANGE']);
  });
});

describe('RemoteChangeApplier: forged resolutions', () => {
  it('refuses a change that claims to settle a value newer than itself, or settles in the wrong shape', async () => {
    const { a, b, txId } = await sharedTransaction();
    a.setNow(T0 + 1000);
    a.transactions.update(txId, { amountMinor: -50 });
    const [edit] = a.drain() as [Change];
    const newer = formatHlc({ wallMs: T0 + 2000, counter: 0, deviceId: 'other' });
    const before = canonicalDump(b);
    for (const settles of [{ amountMinor: [newer] }, { amountMinor: 'all' }, ['amountMinor']]) {
      const forged = { ...edit, fields: { ...edit.fields, resolvedConflicts: settles } };
      const result = b.applier.apply([forged]);
      expect(result.refused.map((r) => r.code)).toEqual(['INVALID_CHANGE']);
    }
    expect(canonicalDump(b)).toEqual(before);
    expect(b.applier.apply([edit]).applied).toBe(1);
  });
});

describe('RemoteChangeApplier: merge rules', () => {
  it('descriptive fields: the newest edit by HLC wins on both devices, whatever the order, no conflict', async () => {
    const { a, b, txId } = await sharedTransaction();
    a.setNow(T0 + 1000);
    b.setNow(T0 + 2000);
    a.transactions.update(txId, { notes: 'from A' });
    b.transactions.update(txId, { notes: 'from B (later)' });
    const fromA = a.drain();
    const fromB = b.drain();
    expect(a.applier.apply(fromB).conflicts).toBe(0);
    expect(b.applier.apply(fromA).conflicts).toBe(0);
    expect(notesOf(a, txId)).toBe('from B (later)');
    expect(notesOf(b, txId)).toBe('from B (later)');
    expect(canonicalDump(a)).toEqual(canonicalDump(b));
    expect(a.conflicts.list()).toEqual([]);
  });

  it('a tie of wall time is broken by device id, the same way on both devices', async () => {
    const { a, b, txId } = await sharedTransaction();
    a.setNow(T0 + 5000);
    b.setNow(T0 + 5000);
    a.transactions.update(txId, { notes: 'A' });
    b.transactions.update(txId, { notes: 'B' });
    const fromA = a.drain();
    const fromB = b.drain();
    a.applier.apply(fromB);
    b.applier.apply(fromA);
    const winner = a.vault.deviceId > b.vault.deviceId ? 'A' : 'B';
    expect(notesOf(a, txId)).toBe(winner);
    expect(notesOf(b, txId)).toBe(winner);
  });

  it('a sequential amount edit (base = the current HLC) raises no conflict', async () => {
    const { a, b, txId } = await sharedTransaction();
    a.setNow(T0 + 1000);
    a.transactions.update(txId, { amountMinor: -2000 });
    b.applier.apply(a.drain());
    b.setNow(T0 + 2000);
    b.transactions.update(txId, { amountMinor: -3000 });
    expect(a.applier.apply(b.drain())).toMatchObject({ applied: 1, conflicts: 0 });
    expect(amountOf(a, txId)).toBe(-3000);
    expect(a.conflicts.list()).toEqual([]);
    expect(b.conflicts.list()).toEqual([]);
  });

  it('concurrent amount edits keep both values, store the newest, flag the record on every device', async () => {
    const { a, b, txId, creates } = await sharedTransaction();
    a.setNow(T0 + 1000);
    b.setNow(T0 + 2000);
    a.transactions.update(txId, { amountMinor: -1111 });
    b.transactions.update(txId, { amountMinor: -2222 });
    const fromA = a.drain();
    const fromB = b.drain();
    expect(a.applier.apply(fromB).conflicts).toBe(1);
    expect(b.applier.apply(fromA).conflicts).toBe(1);
    // Two more devices get everything in opposite orders.
    const c = await device();
    const d = await device();
    c.applier.apply([...creates, ...fromA, ...fromB]);
    d.applier.apply([...fromB, ...creates, ...fromA]);
    for (const x of [a, b, c, d]) {
      expect(amountOf(x, txId)).toBe(-2222);
      const [conflict, ...rest] = x.conflicts.list();
      expect(rest).toEqual([]);
      expect(conflict).toMatchObject({
        collection: 'transactions',
        recordId: txId,
        field: 'amountMinor',
        mine: { value: -2222, deviceId: b.vault.deviceId },
        theirs: { value: -1111, deviceId: a.vault.deviceId },
      });
      expect(x.conflicts.flagged('transactions')).toEqual([txId]);
    }
    expect(canonicalDump(c)).toEqual(canonicalDump(a));
    expect(canonicalDump(d)).toEqual(canonicalDump(a));
    expect(canonicalDump(b)).toEqual(canonicalDump(a));
  });

  it('an edit that arrives before the edit it was made on top of raises no conflict', async () => {
    const { a, b, txId, creates } = await sharedTransaction();
    a.setNow(T0 + 1000);
    a.transactions.update(txId, { amountMinor: -2000 });
    const first = a.drain();
    b.applier.apply(first);
    b.setNow(T0 + 2000);
    b.transactions.update(txId, { amountMinor: -3000 });
    const second = b.drain();
    const c = await device();
    expect(c.applier.apply([...creates, ...second, ...first]).conflicts).toBe(0);
    expect(amountOf(c, txId)).toBe(-3000);
    expect(c.conflicts.list()).toEqual([]);
    expect(canonicalDump(c)).toEqual(canonicalDump(b));
  });

  it('a delete is a tombstone that beats an older edit, and a later edit does not bring the record back', async () => {
    const { a, b, txId, creates } = await sharedTransaction();
    a.setNow(T0 + 1000);
    b.setNow(T0 + 2000);
    a.transactions.update(txId, { notes: 'older edit' });
    b.transactions.delete(txId);
    const edit = a.drain();
    const del = b.drain();
    a.applier.apply(del);
    b.applier.apply(edit);
    const c = await device();
    c.applier.apply([...creates, ...del, ...edit]);
    const deletedAt = (d: Device): unknown =>
      d.vault.db.prepare('SELECT deleted_at FROM transactions WHERE id = ?').pluck().get(txId);
    for (const x of [a, b, c]) expect(deletedAt(x)).toBe(T0 + 2000);
    // Edit after the delete (by HLC), from a device that had not seen it.
    const e = await device();
    e.applier.apply([...creates, ...edit]);
    e.setNow(T0 + 9000);
    e.transactions.update(txId, { notes: 'edit after the delete' });
    const late = e.drain();
    for (const x of [a, b, c]) {
      x.applier.apply(late);
      expect(deletedAt(x)).toBe(T0 + 2000);
    }
    e.applier.apply(del);
    expect(deletedAt(e)).toBe(T0 + 2000);
    expect(canonicalDump(e)).toEqual(canonicalDump(a));
    expect(canonicalDump(c)).toEqual(canonicalDump(a));
  });
});

describe('RemoteChangeApplier: clock discipline', () => {
  it('refuses a change more than 60 s ahead, naming its device, and applies one 59 s ahead', async () => {
    const b = await device();
    const ahead = remoteChange({ wallMs: T0 + 61_000, deviceId: 'laptop-7', recordId: 'p1' });
    const near = remoteChange({ wallMs: T0 + 59_000, deviceId: 'laptop-8', recordId: 'p2' });
    const result = b.applier.apply([ahead, near]);
    expect(result.applied).toBe(1);
    expect(result.refused).toEqual([
      {
        changeId: ahead.id,
        code: 'CLOCK_AHEAD',
        message: expect.stringContaining('"laptop-7"') as unknown,
      },
    ]);
    expect(b.vault.db.prepare('SELECT id FROM payees').pluck().all()).toEqual(['p2']);
    expect(b.vault.clock.tick() > near.hlc).toBe(true);
  });

  it("measures the limit against this device's clock corrected by the server's offset", async () => {
    const b = await device();
    const change = remoteChange({ wallMs: T0 + 90_000 });
    expect(b.applier.apply([change]).refused.map((r) => r.code)).toEqual(['CLOCK_AHEAD']);
    expect(b.applier.apply([change], { serverClockOffsetMs: 40_000 }).applied).toBe(1);
    expect(b.vault.clock.tick() > change.hlc).toBe(true);
  });

  it('moves the local clock and its high-water mark only when the batch commits', async () => {
    const b = await device();
    const good = remoteChange({ wallMs: T0 + 30_000, recordId: 'p1' });
    const failing = new Proxy(remoteChange({ wallMs: T0 + 40_000, recordId: 'p2' }), {
      get(target, key) {
        if (key === 'fields') throw new Error('connection lost mid-batch');
        return Reflect.get(target, key) as unknown;
      },
    });
    expect(() => b.applier.apply([good, failing])).toThrow('connection lost mid-batch');
    expect(b.vault.db.prepare('SELECT count(*) FROM payees').pluck().get()).toBe(0);
    expect(readClockHighWater(b.vault.db)).toBeNull();
    expect(b.vault.clock.tick() < good.hlc).toBe(true);
    b.applier.apply([good]);
    expect(readClockHighWater(b.vault.db)).toBe(good.hlc);
    expect(b.vault.clock.tick() > good.hlc).toBe(true);
  });
});

describe('RemoteChangeApplier: what this version does not know', () => {
  it('keeps a change for an unknown collection, raw, and never drops it', async () => {
    const b = await device();
    const change = {
      ...remoteChange({ wallMs: T0 }),
      collection: 'timesheets',
      fields: { hours: 3 },
    };
    expect(b.applier.apply([change as unknown as Change])).toMatchObject({
      deferred: 1,
      refused: [],
    });
    expect(b.applier.apply([change as unknown as Change])).toMatchObject({ alreadyHad: 1 });
    expect(b.applier.applyDeferred()).toMatchObject({ applied: 0, deferred: 1 });
    const kept = b.vault.db
      .prepare('SELECT change_json FROM sync_pending')
      .pluck()
      .all() as string[];
    expect(kept.map((j) => JSON.parse(j) as unknown)).toEqual([change]);
  });

  it('keeps a change with an unknown field and applies it after a migration adds the column', async () => {
    const b = await device();
    const change = remoteChange({
      wallMs: T0,
      fields: { name: 'Bakery', createdAt: T0, updatedAt: T0, nickname: 'the good one' },
    });
    expect(b.applier.apply([change])).toMatchObject({ applied: 0, deferred: 1 });
    expect(b.vault.db.prepare('SELECT count(*) FROM payees').pluck().get()).toBe(0);
    // What a later migration would do (additive, nullable).
    b.vault.db.exec('ALTER TABLE payees ADD COLUMN nickname TEXT');
    expect(b.applier.applyDeferred()).toMatchObject({ applied: 1, deferred: 0 });
    expect(b.vault.db.prepare('SELECT nickname FROM payees').pluck().get()).toBe('the good one');
  });
});

describe('ConflictService', () => {
  async function conflicted(): Promise<Shared & { c: Device; all: Change[] }> {
    const shared = await sharedTransaction();
    const { a, b, txId, creates } = shared;
    a.setNow(T0 + 1000);
    b.setNow(T0 + 2000);
    a.transactions.update(txId, { amountMinor: -1111 });
    b.transactions.update(txId, { amountMinor: -2222 });
    const fromA = a.drain();
    const fromB = b.drain();
    a.applier.apply(fromB);
    b.applier.apply(fromA);
    const c = await device();
    c.applier.apply([...creates, ...fromA, ...fromB]);
    return { ...shared, c, all: [...creates, ...fromA, ...fromB] };
  }

  it('resolve keeps the chosen value as a new change that clears the conflict on every device', async () => {
    const { a, b, c, txId } = await conflicted();
    const [conflict] = a.conflicts.list();
    if (conflict === undefined) throw new Error('expected a conflict');
    a.setNow(T0 + 3000);
    a.conflicts.resolve(conflict.id, 'theirs');
    expect(amountOf(a, txId)).toBe(-1111);
    expect(a.conflicts.list()).toEqual([]);
    const resolution = a.drain();
    expect(resolution).toHaveLength(1);
    for (const x of [b, c]) {
      expect(x.applier.apply(resolution)).toMatchObject({ applied: 1, conflicts: 0 });
      expect(amountOf(x, txId)).toBe(-1111);
      expect(x.conflicts.list()).toEqual([]);
    }
    expect(canonicalDump(b)).toEqual(canonicalDump(a));
  });

  it('a resolution that arrives before the edits it settles clears them all the same', async () => {
    const { a, txId, all } = await conflicted();
    const [conflict] = a.conflicts.list();
    if (conflict === undefined) throw new Error('expected a conflict');
    a.setNow(T0 + 3000);
    a.conflicts.resolve(conflict.id, { value: -1500 });
    const resolution = a.drain();
    const d = await device();
    d.applier.apply([...resolution, ...[...all].reverse()]);
    expect(amountOf(d, txId)).toBe(-1500);
    expect(d.conflicts.list()).toEqual([]);
    expect(canonicalDump(d)).toEqual(canonicalDump(a));
  });

  it('refuses an unknown conflict id and a value of another kind, changing nothing', async () => {
    const { a } = await conflicted();
    const [conflict] = a.conflicts.list();
    if (conflict === undefined) throw new Error('expected a conflict');
    const before = canonicalDump(a);
    expect(() => a.conflicts.resolve('f'.repeat(32), 'mine')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }),
    );
    expect(() => a.conflicts.resolve(conflict.id, { value: 'lots' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(canonicalDump(a)).toEqual(before);
    expect(a.vault.changes.pending()).toEqual([]);
  });
});

describe('RemoteChangeApplier: recognising changes already applied', () => {
  const seenCount = (d: Device): number =>
    Number(d.vault.db.prepare('SELECT count(*) FROM sync_seen_hlcs').pluck().get());
  const again = (change: Change, wallMs: number): Change => ({ ...change, id: uuidv7(wallMs) });

  it('an amount edit delivered again after a newer local edit is alreadyHad and opens no conflict', async () => {
    const { a, b, txId } = await sharedTransaction();
    a.setNow(T0 + 1000);
    a.transactions.update(txId, { amountMinor: -2000 });
    const [edit] = a.drain();
    if (edit === undefined) throw new Error('expected an edit');
    expect(b.applier.apply([edit]).applied).toBe(1);
    b.setNow(T0 + 2000);
    b.transactions.update(txId, { amountMinor: -3000 });
    b.drain();
    // No field of the record carries the edit's HLC any more: the seen set does.
    expect(Object.values(b.vault.changes.fieldClocks('transactions', txId))).not.toContain(
      edit.hlc,
    );
    expect(seenCount(b)).toBe(1);
    const before = canonicalDump(b);
    expect(b.applier.apply([edit])).toMatchObject({ applied: 0, alreadyHad: 1, conflicts: 0 });
    // Re-pushed under a new id after a server restore: the same write, already here.
    expect(b.applier.apply([again(edit, T0 + 3000)])).toMatchObject({
      applied: 0,
      alreadyHad: 1,
      conflicts: 0,
    });
    expect(amountOf(b, txId)).toBe(-3000);
    expect(b.conflicts.list()).toEqual([]);
    expect(canonicalDump(b)).toEqual(before);
  });

  it('an amount edit delivered again after a newer remote edit on top of it is alreadyHad and opens no conflict', async () => {
    const { a, b, txId, creates } = await sharedTransaction();
    a.setNow(T0 + 1000);
    a.transactions.update(txId, { amountMinor: -2000 });
    const first = a.drain();
    b.applier.apply(first);
    b.setNow(T0 + 2000);
    b.transactions.update(txId, { amountMinor: -3000 });
    const second = b.drain();
    const c = await device();
    expect(c.applier.apply([...creates, ...first, ...second]).conflicts).toBe(0);
    const before = canonicalDump(c);
    const [edit] = first;
    if (edit === undefined) throw new Error('expected an edit');
    expect(c.applier.apply([edit, again(edit, T0 + 3000), ...second])).toMatchObject({
      applied: 0,
      alreadyHad: 3,
      conflicts: 0,
    });
    expect(c.conflicts.list()).toEqual([]);
    expect(canonicalDump(c)).toEqual(before);
  });

  it('a change that lost every field is remembered as applied, under its id or a new one', async () => {
    const { a, b, txId } = await sharedTransaction();
    a.setNow(T0 + 1000);
    a.transactions.update(txId, { notes: 'older' });
    const [older] = a.drain();
    if (older === undefined) throw new Error('expected an edit');
    b.setNow(T0 + 2000);
    b.transactions.update(txId, { notes: 'newer' });
    b.drain();
    expect(b.applier.apply([older])).toMatchObject({ applied: 1, conflicts: 0 });
    expect(notesOf(b, txId)).toBe('newer');
    expect(seenCount(b)).toBe(1);
    expect(b.applier.apply([older, again(older, T0 + 3000)])).toMatchObject({
      applied: 0,
      alreadyHad: 2,
    });
  });

  it('names the devices of a batch by refs, so the clocks it stamps carry no device id', async () => {
    const { a, b } = await sharedTransaction();
    const refs = b.vault.db.prepare<[], string>('SELECT device_id FROM sync_devices').pluck().all();
    expect(refs).toContain(a.vault.deviceId);
    expect(refs).toContain(b.vault.deviceId);
    const stored = String(
      b.vault.db.prepare('SELECT sync_clocks FROM accounts LIMIT 1').pluck().get(),
    );
    expect(stored).not.toContain(a.vault.deviceId);
  });
});
