import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../shared/errors/coffer-error.js';
import { parseHlc } from '../../../shared/hlc/hlc.js';
import { UUID_PATTERN } from '../../../shared/ids/uuidv7.js';
import { ChangeSchema } from '../../../shared/sync/change.js';
import { createTempVault, type TempVault } from '../testing/temp-vault.js';

let temp: TempVault | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

async function vaultAt(start = 1_750_000_000_000) {
  let wall = start;
  temp = await createTempVault({ now: () => wall });
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
});
