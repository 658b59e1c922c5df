import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { createLedgerFixture, type LedgerFixture } from './ledger-test-fixture.js';
import { TransactionRepository } from './transaction.repository.js';

let f: LedgerFixture;
const cleanups: Array<() => void> = [];
beforeEach(async () => {
  const fixture = await createLedgerFixture();
  cleanups.push(() => fixture.cleanup());
  f = fixture;
  f.accounts.create({ name: 'Checking', currency: 'USD' });
  f.accounts.create({ name: 'Card', currency: 'USD', kind: 'credit_card' });
  f.categories.create({ name: 'Food' });
});
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function row(i: number, extra: Partial<TransactionCreateInput> = {}): TransactionCreateInput {
  return {
    accountId: 'Checking',
    date: `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
    amountMinor: -(i + 1),
    payeeName: `Shop ${i % 3}`,
    importId: `FIT-${i}`,
    ...extra,
  };
}

describe('TransactionService.createMany', () => {
  it('creates every row in one go, one change each, payees found or created once', () => {
    const before = f.outbox().length;
    const result = f.transactions.createMany(
      Array.from({ length: 10 }, (_, i) => row(i)),
      { importBatch: 'statement-2025-01.ofx' },
    );
    expect(result).toMatchObject({ created: 10, skipped: 0, skippedIndexes: [] });
    expect(result.createdIds).toHaveLength(10);
    expect(f.payees.list().map((p) => p.name)).toEqual(['Shop 0', 'Shop 1', 'Shop 2']);
    const changes = f
      .outbox()
      .slice(before)
      .map((e) => e.change.collection);
    expect(changes.filter((c) => c === 'transactions')).toHaveLength(10);
    expect(changes.filter((c) => c === 'payees')).toHaveLength(3);
    const first = f.transactions.get(result.createdIds[0] ?? '');
    expect(first).toMatchObject({
      importId: 'FIT-0',
      importBatch: 'statement-2025-01.ofx',
      payeeName: 'Shop 0',
    });
  });

  it('skips rows already imported (tombstones included) and repeats within the call', () => {
    const first = f.transactions.createMany([row(0), row(1), row(2)]);
    f.transactions.delete(first.createdIds[1] ?? '');
    const before = f.counts();
    const again = f.transactions.createMany([
      row(0),
      row(1),
      row(2),
      row(3),
      row(3),
      row(3, { accountId: 'Card' }),
    ]);
    expect(again).toMatchObject({ created: 2, skipped: 4, skippedIndexes: [0, 1, 2, 4] });
    expect(f.counts().transactions).toBe((before.transactions ?? 0) + 2);

    const nothing = f.transactions.createMany([row(0), row(1), row(2), row(3)]);
    expect(nothing).toMatchObject({ created: 0, skipped: 4, createdIds: [] });
  });

  it('skips a row by its content key alone, per account, whichever of its two keys matches', () => {
    const keyed = (
      i: number,
      extra: Partial<TransactionCreateInput> = {},
    ): TransactionCreateInput => row(i, { importId: null, importKey: `k:row-${i}`, ...extra });
    f.transactions.createMany([keyed(0), keyed(1), row(2, { importKey: 'k:row-2' })]);
    const before = f.counts().transactions ?? 0;
    const again = f.transactions.createMany([
      keyed(0),
      keyed(1, { importId: 'FIT-new' }),
      keyed(2),
      row(2, { importKey: 'k:other' }),
      keyed(0, { accountId: 'Card' }),
      keyed(3),
      keyed(3, { importId: 'FIT-3b' }),
    ]);
    expect(again).toMatchObject({ created: 2, skipped: 5, skippedIndexes: [0, 1, 2, 3, 6] });
    expect(f.counts().transactions).toBe(before + 2);

    // A bank id spelled like a content key is still a bank id: the kinds never match.
    const crossed = f.transactions.createMany([
      row(4, { importId: 'k:row-0', importKey: null }),
      row(5, { importId: null, importKey: 'FIT-new' }),
    ]);
    expect(crossed).toMatchObject({ created: 2, skipped: 0 });
  });

  it('rows without an import id are never skipped', () => {
    const noId = { accountId: 'Checking', date: '2025-01-05', amountMinor: -5 };
    expect(f.transactions.createMany([noId, noId]).created).toBe(2);
    expect(f.transactions.createMany([noId]).created).toBe(1);
  });

  it('writes nothing when any row is bad, and names the row', () => {
    const cases: Array<[TransactionCreateInput, string]> = [
      [row(2, { amountMinor: 1.5 }), 'INVALID_AMOUNT'],
      [row(2, { date: '2025-02-30' }), 'INVALID_DATE'],
      [row(2, { currency: 'EUR' }), 'CURRENCY_MISMATCH'],
      [row(2, { accountId: 'Nope' }), 'NOT_FOUND'],
      [row(2, { categoryId: 'Nope' }), 'NOT_FOUND'],
      [
        row(2, { payeeName: 'New', splits: [{ categoryId: 'Food', amountMinor: -1 }] }),
        'SPLITS_DO_NOT_SUM',
      ],
    ];
    for (const [bad, code] of cases) {
      const result = f.attempt(() => f.transactions.createMany([row(0), row(1), bad, row(3)]));
      expect(result).toMatchObject({ code, wrote: false });
      expect(result.message).toMatch(/^Transaction #3: /);
      expect((result.error as CofferError).details).toMatchObject({ index: 2 });
    }
    expect(
      f.attempt(() => f.transactions.createMany([row(0)], { importBatch: ' ' })),
    ).toMatchObject({
      code: 'INVALID_INPUT',
      wrote: false,
    });
  });

  it('accepts an empty list', () => {
    expect(f.transactions.createMany([])).toEqual({
      created: 0,
      skipped: 0,
      createdIds: [],
      skippedIndexes: [],
    });
  });

  // Speed is measured by `npm run bench` (100k rows); a per-row cost gone quadratic would
  // still run into the test's timeout here.
  it('inserts 20k transactions in one call', () => {
    const inputs: TransactionCreateInput[] = Array.from({ length: 20_000 }, (_, i) => ({
      accountId: i % 2 === 0 ? 'Checking' : 'Card',
      date: `202${i % 5}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
      amountMinor: (i % 7) - 3 === 0 ? 1 : ((i % 7) - 3) * 1234,
      payeeName: `Payee ${i % 500}`,
      categoryId: i % 3 === 0 ? 'Food' : null,
      importId: `bulk-${i}`,
    }));
    const result = f.transactions.createMany(inputs);
    expect(result.created).toBe(20_000);
    expect(f.transactions.count()).toBe(20_000);
    expect(f.outbox().filter((e) => e.change.collection === 'transactions')).toHaveLength(20_000);
  }, 60_000);
});

describe('TransactionService.createManyInTransaction', () => {
  const count = (): number =>
    f.vault.db.prepare('SELECT count(*) FROM transactions').pluck().get() as number;

  it('refuses to run outside a vault transaction, writing nothing', () => {
    expect(() => f.transactions.createManyInTransaction([row(0)])).toThrow(CofferError);
    expect(count()).toBe(0);
  });

  it("writes chunks inside the caller's transaction, and an error in a later chunk rolls every chunk back", () => {
    expect(() =>
      f.vault.transaction(() => {
        f.transactions.createManyInTransaction([row(0), row(1)]);
        expect(count()).toBe(2);
        f.transactions.createManyInTransaction([row(2), row(3, { accountId: 'No such account' })]);
      }),
    ).toThrow(CofferError);
    expect(count()).toBe(0);
    const written = f.vault.transaction(() => [
      f.transactions.createManyInTransaction([row(0), row(1)]),
      f.transactions.createManyInTransaction([row(1), row(2)]),
    ]);
    expect(written.map((r) => [r.created, r.skipped])).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(count()).toBe(3);
  });
});

describe('TransactionService.chunkWriter', () => {
  it('writes chunks in one transaction, finding a payee made by an earlier chunk, and refuses outside one', () => {
    const write = f.transactions.chunkWriter();
    expect(() => write([row(0)])).toThrow(CofferError);
    const results = f.vault.transaction(() => [
      write([row(0), row(1), row(2)], { importBatch: 'b' }),
      write([row(3), row(2), row(4, { accountId: 'Card' })], { importBatch: 'b' }),
    ]);
    expect(results.map((r) => [r.created, r.skipped])).toEqual([
      [3, 0],
      [2, 1],
    ]);
    expect(f.payees.list().map((p) => p.name)).toEqual(['Shop 0', 'Shop 1', 'Shop 2']);
    expect(f.transactions.count()).toBe(5);
  });

  it('skips the same rows when promised unique content keys as when it looks every key up', () => {
    const account = fc.constantFrom('Checking', 'Card');
    // Keys and bank ids come from small pools, so rows held before often share them.
    const held = fc.record({
      account,
      key: fc.option(fc.integer({ min: 0, max: 11 }), { nil: null }),
      id: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
      deleted: fc.boolean(),
    });
    const written = fc.record({
      account,
      id: fc.option(fc.integer({ min: 0, max: 7 }), { nil: null }),
    });
    const scenario = fc.record({
      held: fc.array(held, { maxLength: 8 }),
      // Unique keys: the promise the writer is given.
      keys: fc.uniqueArray(fc.integer({ min: 0, max: 11 }), { minLength: 1, maxLength: 12 }),
      rows: fc.array(written, { minLength: 12, maxLength: 12 }),
      chunk: fc.integer({ min: 1, max: 5 }),
    });
    type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
    const input = (
      i: number,
      a: string,
      key: number | null,
      id: number | null,
    ): TransactionCreateInput => ({
      accountId: a,
      date: '2025-02-01',
      amountMinor: -(i + 1),
      ...(key === null ? {} : { importKey: `k:${key}` }),
      ...(id === null ? {} : { importId: `FIT-${id}` }),
    });
    class Rollback extends Error {
      constructor(readonly outcome: unknown) {
        super('rollback');
      }
    }
    const outcome = (s: Scenario, uniqueImportKeys: boolean): unknown => {
      try {
        f.vault.transaction(() => {
          s.held.forEach((h, i) => {
            const made = f.transactions.createManyInTransaction([
              input(100 + i, h.account, h.key, h.id),
            ]);
            const id = made.createdIds[0];
            if (h.deleted && id !== undefined) f.transactions.delete(id);
          });
          const write = f.transactions.chunkWriter({ uniqueImportKeys });
          const rows = s.keys.map((key, i) => {
            const r = s.rows[i] as { account: string; id: number | null };
            return input(i, r.account, key, r.id);
          });
          const results = [];
          for (let at = 0; at < rows.length; at += s.chunk) {
            const { created, skipped, skippedIndexes } = write(rows.slice(at, at + s.chunk));
            results.push({ created, skipped, skippedIndexes });
          }
          write.finish();
          // However the writer went, the content-key index is whole again before the commit.
          const index = f.vault.db
            .prepare(`SELECT sql FROM sqlite_master WHERE name = 'transactions_import_key'`)
            .pluck()
            .get();
          throw new Rollback({ results, index });
        });
      } catch (err) {
        if (err instanceof Rollback) return err.outcome;
        throw err;
      }
      throw new Error('the writes were not rolled back');
    };
    fc.assert(
      fc.property(scenario, (s) => {
        expect(outcome(s, true)).toEqual(outcome(s, false));
      }),
      { numRuns: 150 },
    );
    expect(f.transactions.count()).toBe(0);
  });

  it('learns that an account holds no content key by reading at most the rows it is allowed', () => {
    const repo = new TransactionRepository(f.vault.db);
    const checking = f.accounts.resolveAccount('Checking').id;
    const card = f.accounts.resolveAccount('Card').id;
    expect(repo.mayHoldImportKeys(checking, 3)).toBe(false);
    f.transactions.createMany([1, 2, 3].map((i) => row(i, { importId: null })));
    expect(repo.mayHoldImportKeys(checking, 3)).toBe(false);
    // One row more than it may read: it cannot tell, so it answers that keys may be there.
    f.transactions.createMany([row(4, { importId: null })]);
    expect(repo.mayHoldImportKeys(checking, 3)).toBe(true);
    expect(repo.mayHoldImportKeys(checking, 4)).toBe(false);
    // A deleted row keeps its key, and a re-import must still find it.
    const keyed = f.transactions.createMany([row(5, { accountId: 'Card', importKey: 'k:5' })]);
    f.transactions.delete(keyed.createdIds[0] ?? '');
    expect(repo.mayHoldImportKeys(card, 3)).toBe(true);
    expect(repo.mayHoldImportKeys(checking, 4)).toBe(false);
  });
});
