import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transactionFields } from '../ledger/record-fields.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
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
