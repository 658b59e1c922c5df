import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { parseHlc } from '../../../shared/hlc/hlc.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { ChangeSchema } from '../../../shared/sync/change.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';
import { deviceRefs } from './device-refs.js';
import { decodeFieldClocks } from './field-clocks.js';

let temp: TempVault | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

async function vaultAt(start = 1_750_000_000_000) {
  let wall = start;
  temp = await createTempVault({ now: () => wall, outbox: true });
  return { vault: temp.vault, advance: (ms: number) => (wall += ms) };
}

describe('ChangeRecorder', () => {
  it('records a first write with null bases, a fresh HLC and an outbox row', async () => {
    const { vault } = await vaultAt();
    const change = vault.transaction(() =>
      vault.changes.record('accounts', 'acc-1', 'upsert', { name: 'Checking', currency: 'USD' }),
    );
    expect(change.id).toMatch(UUID_PATTERN);
    expect(change.deviceId).toBe(vault.deviceId);
    expect(parseHlc(change.hlc).deviceId).toBe(vault.deviceId);
    expect(change.base).toEqual({ name: null, currency: null });
    expect(ChangeSchema.safeParse(change).success).toBe(true);

    const pending = vault.changes.pending(10);
    expect(pending).toHaveLength(1);
    expect(pending[0]?.change).toEqual(change);
    expect(pending[0]?.createdAt).toBe(vault.now());
  });

  it("sets base to each field's previous HLC and updates only the fields written", async () => {
    const { vault, advance } = await vaultAt();
    const first = vault.transaction(() =>
      vault.changes.record('clients', 'c1', 'upsert', { name: 'Ada', email: 'a@x' }),
    );
    advance(5);
    const second = vault.transaction(() =>
      vault.changes.record('clients', 'c1', 'upsert', { email: 'ada@x', notes: 'vip' }),
    );
    expect(second.base).toEqual({ email: first.hlc, notes: null });
    expect(second.hlc > first.hlc).toBe(true);
    expect(vault.changes.fieldClocks('clients', 'c1')).toEqual({
      name: first.hlc,
      email: second.hlc,
      notes: second.hlc,
    });
    // Another record's clocks are separate.
    const other = vault.transaction(() =>
      vault.changes.record('clients', 'c2', 'upsert', { email: 'b@x' }),
    );
    expect(other.base).toEqual({ email: null });
  });

  it('issues strictly increasing HLCs even within one millisecond', async () => {
    const { vault } = await vaultAt();
    const hlcs = vault.transaction(() =>
      Array.from(
        { length: 5 },
        (_, i) => vault.changes.record('payees', `p${i}`, 'upsert', { name: `P${i}` }).hlc,
      ),
    );
    expect([...hlcs].sort()).toEqual(hlcs);
    expect(new Set(hlcs).size).toBe(5);
  });

  it('keeps outbox order and pages through pending()', async () => {
    const { vault } = await vaultAt();
    vault.transaction(() => {
      for (let i = 0; i < 5; i++)
        vault.changes.record('categories', `k${i}`, 'upsert', { name: `K${i}` });
    });
    const page1 = vault.changes.pending(2);
    const page2 = vault.changes.pending(2, page1[1]?.seq);
    expect(page1.map((e) => e.change.recordId)).toEqual(['k0', 'k1']);
    expect(page2.map((e) => e.change.recordId)).toEqual(['k2', 'k3']);
    expect(vault.changes.pendingCount()).toBe(5);
    expect(vault.changes.acknowledge([page1[0]?.change.id ?? ''])).toBe(1);
    expect(vault.changes.pending(10).map((e) => e.change.recordId)).toEqual([
      'k1',
      'k2',
      'k3',
      'k4',
    ]);
  });

  it('records deletes and stores undefined as null', async () => {
    const { vault } = await vaultAt();
    const change = vault.transaction(() =>
      vault.changes.record('transactions', 't1', 'delete', { deletedAt: 123, memo: undefined }),
    );
    expect(change.op).toBe('delete');
    expect(vault.changes.pending(1)[0]?.change.fields).toEqual({ deletedAt: 123, memo: null });
  });

  it('refuses to record outside a transaction', async () => {
    const { vault } = await vaultAt();
    let code: string | undefined;
    try {
      vault.changes.record('accounts', 'a', 'upsert', { name: 'x' });
    } catch (error) {
      code = isCofferError(error) ? error.code : undefined;
    }
    expect(code).toBe('INTERNAL');
    expect(vault.changes.pendingCount()).toBe(0);
  });

  it('rolls the change back with the write when the transaction fails', async () => {
    const { vault } = await vaultAt();
    expect(() =>
      vault.transaction(() => {
        vault.changes.record('accounts', 'a1', 'upsert', { name: 'x' });
        throw new Error('write failed');
      }),
    ).toThrow('write failed');
    expect(vault.changes.pendingCount()).toBe(0);
    expect(vault.changes.fieldClocks('accounts', 'a1')).toEqual({});
  });

  it('stores one clock row per record and regroups it as fields are rewritten', async () => {
    const { vault, advance } = await vaultAt();
    const clocksRow = () =>
      vault.db
        .prepare(
          "SELECT clocks FROM record_clocks WHERE collection = 'clients' AND record_id = 'c1'",
        )
        .pluck()
        .get();
    const first = vault.transaction(() =>
      vault.changes.record('clients', 'c1', 'upsert', { name: 'Ada', email: 'a@x', notes: '' }),
    );
    expect(String(clocksRow()).split(';')).toHaveLength(1);
    expect(decodeFieldClocks(String(clocksRow()), deviceRefs(vault.db))).toEqual(
      new Map(['name', 'email', 'notes'].map((field) => [field, first.hlc])),
    );
    advance(1);
    const second = vault.transaction(() =>
      vault.changes.record('clients', 'c1', 'upsert', { email: 'ada@x' }),
    );
    advance(1);
    const third = vault.transaction(() =>
      vault.changes.record('clients', 'c1', 'upsert', { name: 'Ada L', email: 'al@x' }),
    );
    expect(third.base).toEqual({ name: first.hlc, email: second.hlc });
    // second stamps no field any more, so it is gone from the row.
    expect(String(clocksRow()).split(';')).toHaveLength(2);
    expect(decodeFieldClocks(String(clocksRow()), deviceRefs(vault.db))).toEqual(
      new Map([
        ['notes', first.hlc],
        ['name', third.hlc],
        ['email', third.hlc],
      ]),
    );
    expect(vault.changes.fieldClocks('clients', 'c1')).toEqual({
      name: third.hlc,
      email: third.hlc,
      notes: first.hlc,
    });
    expect(vault.db.prepare('SELECT count(*) FROM record_clocks').pluck().get()).toBe(1);
  });

  it('stores only replaced clocks in base_json and gives pending() the full base', async () => {
    const { vault, advance } = await vaultAt();
    const first = vault.transaction(() =>
      vault.changes.record('accounts', 'a1', 'upsert', { name: 'Cash', currency: 'USD' }),
    );
    advance(1);
    const second = vault.transaction(() =>
      vault.changes.record('accounts', 'a1', 'upsert', { name: 'Wallet', notes: 'x' }),
    );
    const baseJson = vault.db.prepare('SELECT base_json FROM outbox ORDER BY seq').pluck().all();
    expect(baseJson).toEqual(['{}', JSON.stringify({ name: first.hlc })]);
    expect(vault.changes.pending(10).map((e) => e.change)).toEqual([first, second]);
    expect(second.base).toEqual({ name: first.hlc, notes: null });
  });

  it('treats field names that are Object.prototype members as plain fields', async () => {
    const { vault, advance } = await vaultAt();
    const first = vault.transaction(() =>
      vault.changes.record('settings', 's1', 'upsert', { constructor: 1, toString: 2 }),
    );
    expect(first.base).toEqual({ constructor: null, toString: null });
    advance(1);
    const second = vault.transaction(() =>
      vault.changes.record('settings', 's1', 'upsert', { toString: 3, valueOf: 4 }),
    );
    expect(second.base).toEqual({ toString: first.hlc, valueOf: null });
    expect(vault.changes.pending(10).map((e) => e.change)).toEqual([first, second]);
  });

  it('refuses field names the change contract does not allow, writing nothing', async () => {
    const { vault } = await vaultAt();
    for (const bad of ['two words', '__proto__', '', '1st']) {
      let code: string | undefined;
      try {
        vault.transaction(() => vault.changes.record('payees', 'p1', 'upsert', { [bad]: 'x' }));
      } catch (error) {
        code = isCofferError(error) ? error.code : undefined;
      }
      expect(code, bad).toBe('INTERNAL');
    }
    expect(vault.changes.pendingCount()).toBe(0);
    expect(vault.changes.fieldClocks('payees', 'p1')).toEqual({});
  });

  it('records a change with no fields without touching the clocks', async () => {
    const { vault } = await vaultAt();
    const change = vault.transaction(() => vault.changes.record('payees', 'p1', 'delete', {}));
    expect(change.base).toEqual({});
    expect(vault.changes.pending(1)[0]?.change).toEqual(change);
    expect(vault.db.prepare('SELECT count(*) FROM record_clocks').pluck().get()).toBe(0);
  });
});
