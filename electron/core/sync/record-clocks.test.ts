import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { transactionFields } from '../ledger/record-fields.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { MergeStateRepository } from './apply/merge-state.repository.js';
import { deviceRefs } from './device-refs.js';
import { RecordClocks } from './record-clocks.js';

const H1 = '001750000000000:000000:0193a3f0-5c2e-7d11-8000-00000000aaaa';
const H2 = '001750000000007:000002:0193a3f0-5c2e-7d11-8000-00000000bbbb';
const H3 = '001750000000009:000000:0193a3f0-5c2e-7d11-8000-00000000aaaa';

/** Every field a new transaction's change writes, in the order the service writes them. */
const TX_FIELDS = Object.keys(
  transactionFields({
    id: 'x',
    accountId: 'a',
    date: '2025-01-01',
    amountMinor: 1,
    currency: 'USD',
    payeeId: null,
    categoryId: null,
    notes: '',
    importId: null,
    importBatch: null,
    importKey: null,
    splits: [],
    createdAt: 1,
    updatedAt: 1,
  }),
);

let temp: TempVault;
let clocks: RecordClocks;
beforeEach(async () => {
  temp = await createTempVault();
  clocks = new RecordClocks(temp.vault.db);
});
afterEach(() => temp.cleanup());

const stamp = (recordId: string, fields: string[], hlc: string) =>
  temp.vault.transaction(() => clocks.stamp('transactions', recordId, fields, hlc));
const storedText = (recordId: string) =>
  String(
    temp.vault.db
      .prepare(
        "SELECT clocks FROM record_clocks WHERE collection = 'transactions' AND record_id = ?",
      )
      .pluck()
      .get(recordId),
  );

describe('RecordClocks with compact clocks', () => {
  it("keeps a new transaction's clocks in under 60 characters and reads every field back", () => {
    expect(stamp('t1', TX_FIELDS, H1)).toEqual(Object.fromEntries(TX_FIELDS.map((f) => [f, null])));
    expect(storedText('t1').length).toBeLessThan(60);
    expect(clocks.read('transactions', 't1')).toEqual(
      Object.fromEntries(TX_FIELDS.map((f) => [f, H1])),
    );
  });

  it('a partial update after a compact full write gets each field its own base', () => {
    stamp('t1', TX_FIELDS, H1);
    expect(stamp('t1', ['amountMinor', 'notes', 'updatedAt'], H2)).toEqual({
      amountMinor: H1,
      notes: H1,
      updatedAt: H1,
    });
    expect(stamp('t1', ['notes', 'date', 'receiptId'], H3)).toEqual({
      notes: H2,
      date: H1,
      receiptId: null,
    });
    const read = clocks.read('transactions', 't1');
    expect(read).toMatchObject({
      accountId: H1,
      date: H3,
      amountMinor: H2,
      notes: H3,
      updatedAt: H2,
      receiptId: H3,
    });
    expect(Object.keys(read)).toHaveLength(TX_FIELDS.length + 1);
    // A rewrite of every field by one change collapses to the code again.
    stamp('t2', TX_FIELDS, H1);
    stamp('t2', ['notes'], H2);
    expect(storedText('t2').split(';')).toHaveLength(2);
    stamp('t2', TX_FIELDS, H3);
    expect(storedText('t2').endsWith('=t1')).toBe(true);
    expect(storedText('t2').split(';')).toHaveLength(1);
  });

  it('reads a record stored in the first (JSON) encoding and rewrites it compactly on its next write', () => {
    temp.vault.db
      .prepare("INSERT INTO record_clocks VALUES ('transactions', 'old', ?)")
      .run(JSON.stringify({ [H1]: TX_FIELDS.join(' ') }));
    expect(clocks.read('transactions', 'old')).toEqual(
      Object.fromEntries(TX_FIELDS.map((f) => [f, H1])),
    );
    expect(stamp('old', ['notes'], H2)).toEqual({ notes: H1 });
    expect(storedText('old').startsWith('{')).toBe(false);
    expect(clocks.read('transactions', 'old')).toEqual({
      ...Object.fromEntries(TX_FIELDS.map((f) => [f, H1])),
      notes: H2,
    });
  });
});

const DEV_A = '0193a3f0-5c2e-7d11-8000-00000000aaaa';
const DEV_B = '0193a3f0-5c2e-7d11-8000-00000000bbbb';

function addPayee(id: string): void {
  temp.vault.db
    .prepare('INSERT INTO payees (id, name, created_at, updated_at) VALUES (?, ?, 1, 1)')
    .run(id, `Payee ${id}`);
}
const payeeStamp = (recordId: string, fields: string[], hlc: string) =>
  temp.vault.transaction(() => clocks.stamp('payees', recordId, fields, hlc));
const inRow = (id: string): unknown =>
  temp.vault.db.prepare('SELECT sync_clocks FROM payees WHERE id = ?').pluck().get(id);
const fallbackRows = (): number =>
  Number(temp.vault.db.prepare('SELECT count(*) FROM record_clocks').pluck().get());
const seenRows = (): string[] =>
  temp.vault.db.prepare<[], string>('SELECT hlc FROM sync_seen_hlcs ORDER BY 1').pluck().all();

describe('RecordClocks in the record row', () => {
  it("keeps a record's clocks in its own row, naming a device by its ref", () => {
    addPayee('p1');
    deviceRefs(temp.vault.db).ensure(DEV_A);
    expect(payeeStamp('p1', ['name', 'createdAt'], H1)).toEqual({ name: null, createdAt: null });
    expect(fallbackRows()).toBe(0);
    const text = String(inRow('p1'));
    expect(text).toMatch(/\.~[0-9a-z]+ /);
    expect(text).not.toContain(DEV_A);
    expect(clocks.read('payees', 'p1')).toEqual({ name: H1, createdAt: H1 });
    expect(payeeStamp('p1', ['name'], H3)).toEqual({ name: H1 });
    expect(clocks.read('payees', 'p1')).toEqual({ name: H3, createdAt: H1 });
  });

  it('falls back to record_clocks while the record has no row, and moves them in at the next stamp', () => {
    expect(payeeStamp('p2', ['name'], H1)).toEqual({ name: null });
    expect(fallbackRows()).toBe(1);
    expect(clocks.read('payees', 'p2')).toEqual({ name: H1 });
    addPayee('p2');
    // The row has no clocks yet: the fallback still answers.
    expect(clocks.read('payees', 'p2')).toEqual({ name: H1 });
    expect(payeeStamp('p2', ['name', 'updatedAt'], H3)).toEqual({ name: H1, updatedAt: null });
    expect(fallbackRows()).toBe(0);
    expect(inRow('p2')).not.toBeNull();
    expect(clocks.read('payees', 'p2')).toEqual({ name: H3, updatedAt: H3 });
  });

  it("puts another device's HLC in the seen set once no field carries it, never this device's own", () => {
    addPayee('p3');
    const own = `001750000000020:000000:${temp.vault.deviceId}`;
    const later = `001750000000030:000000:${temp.vault.deviceId}`;
    payeeStamp('p3', ['name', 'createdAt'], H1);
    payeeStamp('p3', ['name'], H2);
    // H1 still stamps createdAt; H2 is displaced whole.
    payeeStamp('p3', ['name'], own);
    expect(seenRows()).toHaveLength(1);
    expect(new MergeStateRepository(temp.vault.db).isSeenHlc(H2)).toBe(true);
    expect(new MergeStateRepository(temp.vault.db).isSeenHlc(H1)).toBe(false);
    payeeStamp('p3', ['name', 'createdAt'], later);
    expect(seenRows()).toHaveLength(2);
    expect(new MergeStateRepository(temp.vault.db).isSeenHlc(H1)).toBe(true);
    expect(new MergeStateRepository(temp.vault.db).isSeenHlc(own)).toBe(false);
  });

  it('gives a bulk writer the column text to put in its INSERT', () => {
    const text = clocks.encode({ name: H1, createdAt: H1, updatedAt: H2 });
    temp.vault.db
      .prepare(
        "INSERT INTO payees (id, name, created_at, updated_at, sync_clocks) VALUES ('p4', 'x', 1, 1, ?)",
      )
      .run(text);
    expect(clocks.read('payees', 'p4')).toEqual({ name: H1, createdAt: H1, updatedAt: H2 });
    expect(payeeStamp('p4', ['name'], H3)).toEqual({ name: H1 });
  });
});

describe('device refs', () => {
  it("names this vault's own device when it opens, so its writes carry a ref", () => {
    const ref = deviceRefs(temp.vault.db).refOf(temp.vault.deviceId);
    expect(ref).toBeDefined();
    addPayee('p5');
    const own = `001750000000000:000000:${temp.vault.deviceId}`;
    payeeStamp('p5', ['name'], own);
    expect(String(inRow('p5'))).toBe(
      `${(1_750_000_000_000).toString(36)}.0.~${ref!.toString(36)} name`,
    );
  });

  it('makes no ref inside a transaction: the HLC keeps its device id, and a rollback leaves no ref behind', () => {
    const refs = deviceRefs(temp.vault.db);
    const devices = () =>
      temp.vault.db.prepare<[], string>('SELECT device_id FROM sync_devices').pluck().all();
    addPayee('p6');
    expect(() =>
      temp.vault.transaction(() => {
        expect(refs.ensure(DEV_B)).toBeUndefined();
        clocks.stamp('payees', 'p6', ['name'], H2);
        expect(String(inRow('p6'))).toContain(DEV_B);
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(devices()).not.toContain(DEV_B);
    expect(refs.refOf(DEV_B)).toBeUndefined();
    expect(inRow('p6')).toBeNull();

    payeeStamp('p6', ['name'], H2);
    expect(String(inRow('p6'))).toContain(DEV_B);
    // Named outside a transaction, the device's next clocks carry its ref.
    const ref = refs.ensure(DEV_B);
    expect(ref).toBeDefined();
    expect(devices()).toContain(DEV_B);
    payeeStamp('p6', ['createdAt'], H2);
    expect(String(inRow('p6'))).not.toContain(DEV_B);
    expect(clocks.read('payees', 'p6')).toEqual({ name: H2, createdAt: H2 });
  });

  it('reads a ref this vault does not hold as a damaged vault, not as some device', () => {
    addPayee('p7');
    temp.vault.db
      .prepare("UPDATE payees SET sync_clocks = 'mj2k4ab0.0.~zz name' WHERE id = 'p7'")
      .run();
    let code: string | undefined;
    try {
      clocks.read('payees', 'p7');
    } catch (error) {
      code = isCofferError(error) ? error.code : 'other';
    }
    expect(code).toBe('VAULT_CORRUPT');
  });
});
