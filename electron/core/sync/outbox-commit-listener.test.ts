import { afterEach, describe, expect, it } from 'vitest';

import { createLedgerFixture, type LedgerFixture } from '../ledger/ledger-test-fixture.js';

/**
 * The sync loop learns of local writes from `changes.onCommitted`: called once per committed
 * write transaction that recorded outbox changes, after the commit, never for a rolled-back
 * write alone nor for a local-only vault.
 */
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

async function ledger(outbox: boolean): Promise<LedgerFixture> {
  const fixture = await createLedgerFixture({ outbox });
  cleanups.push(() => fixture.cleanup());
  return fixture;
}

const payment = (n: number) => ({
  accountId: 'Checking',
  date: '2025-02-03',
  amountMinor: -(n + 1),
  payeeName: `Shop ${n}`,
});

describe('outbox commit listener', () => {
  it('hears each committed write once, after the commit, with the change already readable', async () => {
    const f = await ledger(true);
    const seen: number[] = [];
    const stop = f.vault.changes.onCommitted(() => {
      // Outside the transaction, and the change is in the outbox for a push to read.
      expect(f.vault.db.inTransaction).toBe(false);
      seen.push(f.vault.changes.pendingCount());
    });
    f.accounts.create({ name: 'Checking', currency: 'USD' });
    f.transactions.create(payment(1));
    f.transactions.createMany([payment(2), payment(3), payment(4)]);
    // One call per transaction (a new payee is recorded with its transaction), each seeing
    // everything that transaction recorded.
    expect(seen).toHaveLength(3);
    expect(seen[0]).toBe(1);
    expect(seen[1]).toBeGreaterThan(seen[0]!);
    expect(seen[2]).toBeGreaterThanOrEqual(seen[1]! + 3);

    stop();
    f.transactions.create(payment(5));
    expect(seen).toHaveLength(3);
  });

  it('says nothing while a write is rolled back or for a local-only vault', async () => {
    const f = await ledger(true);
    f.accounts.create({ name: 'Checking', currency: 'USD' });
    let heard = 0;
    f.vault.changes.onCommitted(() => (heard += 1));

    const failed = f.attempt(() => f.transactions.create({ ...payment(1), accountId: 'Nowhere' }));
    expect(failed.code).toBeDefined();
    expect(failed.wrote).toBe(false);
    // A write that recorded a change and was then rolled back.
    const rolledBack = f.attempt(() =>
      f.vault.transaction(() => {
        f.transactions.create(payment(2));
        throw new Error('abandoned');
      }),
    );
    expect(rolledBack.wrote).toBe(false);
    expect(heard).toBe(0);
    // The next commit may announce once for it: one round too many, never one too few.
    f.vault.transaction(() => f.vault.db.prepare('SELECT 1').get());
    expect(heard).toBeLessThanOrEqual(1);
    expect(f.vault.changes.pendingCount()).toBe(1);
    heard = 0;
    f.transactions.create(payment(3));
    expect(heard).toBe(1);

    const local = await ledger(false);
    local.accounts.create({ name: 'Checking', currency: 'USD' });
    let localHeard = 0;
    local.vault.changes.onCommitted(() => (localHeard += 1));
    local.transactions.create(payment(2));
    expect(localHeard).toBe(0);
  });

  it('a listener that throws does not turn a committed write into a failure', async () => {
    const f = await ledger(true);
    f.vault.changes.onCommitted(() => {
      throw new Error('listener broke');
    });
    const created = f.accounts.create({ name: 'Checking', currency: 'USD' });
    expect(f.accounts.list().map((a) => a.id)).toContain(created.id);
  });
});
