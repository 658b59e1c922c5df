import { afterEach, describe, expect, it } from 'vitest';
import type { TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import { createLedgerFixture, type LedgerFixture } from '../ledger/ledger-test-fixture.js';
import { getMeta } from '../vault/vault-meta.js';
import { openVault, type Vault } from '../vault/vault.js';

/**
 * A local-only vault keeps no outbox (docs/architecture.md, Storage): nothing would drain it. Once the
 * vault is linked to sync (`enableOutbox`) every write is recorded, and what the server
 * acknowledges leaves nothing behind.
 */
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

async function ledger(outbox: boolean): Promise<LedgerFixture> {
  const fixture = await createLedgerFixture({ outbox });
  cleanups.push(() => fixture.cleanup());
  fixture.accounts.create({ name: 'Checking', currency: 'USD' });
  return fixture;
}

function rows(count: number, from = 0): TransactionCreateInput[] {
  return Array.from({ length: count }, (_, n) => {
    const i = from + n;
    return {
      accountId: 'Checking',
      date: `2025-02-${String((i % 28) + 1).padStart(2, '0')}`,
      amountMinor: -(i + 1),
      payeeName: `Shop ${i % 7}`,
      notes: `note ${i}`,
    };
  });
}

/** Pages the named table and its indexes use, from SQLite's dbstat. */
function pagesOf(vault: Vault, table: string): number {
  return Number(
    vault.db
      .prepare('SELECT count(*) FROM dbstat WHERE name = ? OR name LIKE ?')
      .pluck()
      .get(table, `sqlite_autoindex_${table}_%`),
  );
}

const pragma = (vault: Vault, name: string) => Number(vault.db.pragma(name, { simple: true }));

describe('outbox switch', () => {
  it('a new vault is local-only: 1,000 writes leave no outbox row, outbox page or field clock', async () => {
    const f = await ledger(false);
    const { vault } = f;
    expect(vault.changes.outboxEnabled()).toBe(false);
    const emptyPages = pagesOf(vault, 'outbox');
    for (let i = 0; i < 10; i += 1) f.transactions.createMany(rows(90, i * 90));
    for (let i = 0; i < 100; i += 1) f.transactions.create(rows(1, 900 + i)[0]!);

    expect(f.transactions.list({ limit: 2_000 }).length).toBe(1_000);
    expect(vault.changes.pendingCount()).toBe(0);
    expect(pagesOf(vault, 'outbox')).toBe(emptyPages);
    // Nothing merges against a local-only vault's records: linking stamps them instead.
    expect(f.counts().record_clocks).toBe(0);
    expect(vault.changes.outboxEnabled()).toBe(false);
  });

  it('after enableOutbox every write is recorded, and the switch survives a reopen', async () => {
    const f = await ledger(false);
    f.transactions.createMany(rows(5));
    expect(f.outbox()).toEqual([]);

    f.vault.changes.enableOutbox();
    f.vault.changes.enableOutbox(); // idempotent
    expect(f.vault.changes.outboxEnabled()).toBe(true);
    expect(getMeta(f.vault.db, 'sync_outbox')).toBe('1');
    const created = f.transactions.createMany(rows(3, 5));
    const recorded = f.outbox().map((entry) => entry.change);
    expect(recorded.filter((c) => c.collection === 'transactions').map((c) => c.recordId)).toEqual(
      created.createdIds,
    );
    // Shop 5 and Shop 6 are new payees; Shop 0–4 were written before the switch.
    expect(recorded.filter((c) => c.collection === 'payees')).toHaveLength(2);
    // Linked: each write now keeps its field clocks, which merge reads.
    expect(f.counts().record_clocks).toBe(3 + 2);

    f.vault.close();
    const reopened = await openVault({ dir: f.dir, keyStore: f.keyStore });
    cleanups.push(() => reopened.close());
    expect(reopened.changes.outboxEnabled()).toBe(true);
    reopened.transaction(() =>
      reopened.changes.record('payees', 'p-late', 'upsert', { name: 'x' }),
    );
    expect(reopened.changes.pendingCount()).toBe(6);
  });

  it('track() records what record() would on a linked vault, and nothing on a local-only one', async () => {
    const f = await ledger(false);
    const { vault } = f;
    let asked = 0;
    const fields = (values: Record<string, unknown>) => () => {
      asked += 1;
      return values;
    };
    vault.transaction(() =>
      vault.changes.track('payees', 'p-tracked', 'upsert', fields({ name: 'x' })),
    );
    // A local-only vault keeps no change, so it never builds the fields.
    expect(asked).toBe(0);
    const after = vault.transaction(() =>
      vault.changes.record('payees', 'p-after', 'upsert', { name: 'after' }),
    );
    expect(vault.changes.pendingCount()).toBe(0);
    expect(() =>
      vault.changes.track('payees', 'p-outside', 'upsert', fields({ name: 'x' })),
    ).toThrow(/inside vault.transaction/);

    vault.changes.enableOutbox();
    vault.transaction(() =>
      vault.changes.track(
        'payees',
        'p-linked',
        'upsert',
        fields({ name: 'linked', note: undefined }),
      ),
    );
    expect(asked).toBe(1);
    const [entry] = f.outbox();
    expect(entry?.change).toMatchObject({
      collection: 'payees',
      recordId: 'p-linked',
      op: 'upsert',
      fields: { name: 'linked', note: null },
      base: { name: null, note: null },
      deviceId: vault.deviceId,
    });
    expect((entry?.change.hlc ?? '') > after.hlc).toBe(true);
  });

  it('an enableOutbox inside a transaction that rolls back leaves the vault local-only', async () => {
    const f = await ledger(false);
    expect(() =>
      f.vault.transaction(() => {
        f.vault.changes.enableOutbox();
        expect(f.vault.changes.outboxEnabled()).toBe(true);
        f.vault.changes.record('payees', 'p-inside', 'upsert', { name: 'inside' });
        expect(f.vault.changes.pendingCount()).toBe(1);
        throw new Error('link failed');
      }),
    ).toThrow('link failed');
    expect(f.vault.changes.outboxEnabled()).toBe(false);
    f.transactions.createMany(rows(4));
    expect(f.vault.changes.pendingCount()).toBe(0);
  });

  it('a write reads the switch again in each transaction, so another connection linking the vault takes effect', async () => {
    const f = await ledger(false);
    const other = await openVault({ dir: f.dir, keyStore: f.keyStore });
    cleanups.push(() => other.close());
    f.transactions.createMany(rows(3));
    expect(f.vault.changes.pendingCount()).toBe(0);
    other.changes.enableOutbox();
    f.transactions.createMany(rows(2, 3));
    expect(f.vault.changes.pendingCount()).toBe(2 + 2); // two transactions, payees Shop 3 and Shop 4
  });

  it('an enableOutbox in a savepoint that rolls back does not stick for the rest of the transaction', async () => {
    const f = await ledger(false);
    f.vault.transaction(() => {
      f.vault.changes.record('payees', 'p-before', 'upsert', { name: 'before' });
      expect(() =>
        f.vault.transaction(() => {
          f.vault.changes.enableOutbox();
          f.vault.changes.record('payees', 'p-inner', 'upsert', { name: 'inner' });
          throw new Error('link failed');
        }),
      ).toThrow('link failed');
      f.vault.changes.record('payees', 'p-after', 'upsert', { name: 'after' });
    });
    expect(f.vault.changes.outboxEnabled()).toBe(false);
    expect(f.vault.changes.pendingCount()).toBe(0);
  });

  it('acknowledged changes leave nothing behind: the outbox is empty and its pages are reused', async () => {
    const f = await ledger(true);
    const { vault } = f;
    const acknowledgeAll = () =>
      vault.changes.acknowledge(vault.changes.pending(100_000).map((e) => e.change.id));

    f.transactions.createMany(rows(1_000));
    expect(acknowledgeAll()).toBe(1 + 7 + 1_000); // the account, payees, transactions
    expect(vault.changes.pendingCount()).toBe(0);
    expect(vault.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0);
    const freed = pragma(vault, 'freelist_count');
    expect(freed).toBeGreaterThan(10);

    // The next batch's outbox rows go into the freed pages instead of growing the file.
    f.transactions.createMany(rows(1_000, 1_000));
    expect(pragma(vault, 'freelist_count')).toBeLessThan(freed / 2);
    expect(acknowledgeAll()).toBe(1_000);
    expect(vault.changes.pendingCount()).toBe(0);
  });

  it('a new vault gives a large acknowledged outbox back to the file system; a small one stays for reuse', async () => {
    const f = await ledger(true);
    const { vault } = f;
    // Set before the first table was made: a vault created earlier keeps it off.
    expect(pragma(vault, 'auto_vacuum')).toBe(2);
    const acknowledgeAll = () =>
      vault.changes.acknowledge(vault.changes.pending(100_000).map((e) => e.change.id));
    const freeBytes = () => pragma(vault, 'freelist_count') * pragma(vault, 'page_size');

    f.transactions.createMany(rows(4_000));
    const outboxBytes = pagesOf(vault, 'outbox') * pragma(vault, 'page_size');
    expect(outboxBytes).toBeGreaterThan(2 * 1024 * 1024);
    const pagesBefore = pragma(vault, 'page_count');
    acknowledgeAll();
    expect(freeBytes()).toBeLessThanOrEqual(1024 * 1024);
    // Most of the outbox's pages left the file.
    const outboxPages = outboxBytes / pragma(vault, 'page_size');
    expect(pragma(vault, 'page_count')).toBeLessThan(pagesBefore - outboxPages / 2);
  });
});
