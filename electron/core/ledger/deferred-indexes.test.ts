import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import { CONTENT_KEY_INDEX, DeferredIndexes, LIST_INDEXES } from './deferred-indexes.js';
import { createLedgerFixture, type LedgerFixture } from './ledger-test-fixture.js';
import { EXISTING_IMPORT_KEYS } from './transaction.repository.js';
import type { ChunkWriter } from './transaction.service.js';

let f: LedgerFixture;
let cleanup: () => void = () => undefined;
beforeEach(async () => {
  f = await createLedgerFixture();
  cleanup = () => f.cleanup();
  f.accounts.create({ name: 'Checking', currency: 'USD' });
  f.accounts.create({ name: 'Card', currency: 'USD', kind: 'credit_card' });
});
afterEach(() => cleanup());

function keyed(i: number, accountId = 'Checking'): TransactionCreateInput {
  return { accountId, date: '2025-03-01', amountMinor: -(i + 1), importKey: `k:row-${i}` };
}

function rows(from: number, count: number, accountId = 'Checking'): TransactionCreateInput[] {
  return Array.from({ length: count }, (_, i) => keyed(from + i, accountId));
}

function indexSql(name: string = CONTENT_KEY_INDEX): string | undefined {
  return f.vault.db
    .prepare<[string], string>(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`)
    .pluck()
    .get(name);
}

/** Every list index's SQL, undefined for one that is not there. */
function listIndexes(): (string | undefined)[] {
  return LIST_INDEXES.map((name) => indexSql(name));
}

function accountId(name: string): string {
  return f.accounts.resolveAccount(name).id;
}

/** Whether a content-key lookup probes the index (it would scan the table without it). */
function lookupUsesIndex(): boolean {
  const plan = f.vault.db
    .prepare<[string, string], { detail: string }>(`EXPLAIN QUERY PLAN ${EXISTING_IMPORT_KEYS}`)
    .all('[]', 'x')
    .map((step) => step.detail)
    .join('\n');
  return plan.includes(CONTENT_KEY_INDEX);
}

describe('DeferredIndexes through TransactionService.chunkWriter: the content key', () => {
  it('sets the index aside while a first import writes, and makes it again, the same, at finish', () => {
    const before = indexSql();
    expect(before).toBeDefined();
    const seen: (string | undefined)[] = [];
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter({ uniqueImportKeys: true });
      write(rows(0, 5));
      seen.push(indexSql());
      write(rows(5, 5));
      seen.push(indexSql());
      write.finish();
      seen.push(indexSql());
    });
    expect(seen).toEqual([undefined, undefined, before]);
    expect(indexSql()).toBe(before);
    expect(lookupUsesIndex()).toBe(true);
    // Every key is found again through it: the same rows imported again add nothing.
    const again = f.transactions.createMany(rows(0, 10));
    expect(again).toMatchObject({ created: 0, skipped: 10 });
  });

  it('keeps the index while the writer has written fewer rows than the table held', () => {
    f.transactions.createMany(rows(100, 6, 'Card'));
    const seen: (string | undefined)[] = [];
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter({ uniqueImportKeys: true });
      write(rows(0, 3));
      seen.push(indexSql());
      // 3 + 3 rows reach the 6 the table held: from here one sort costs less.
      write(rows(3, 3));
      seen.push(indexSql());
      write.finish();
    });
    expect(seen[0]).toBeDefined();
    expect(seen[1]).toBeUndefined();
    expect(indexSql()).toBeDefined();
  });

  it('makes the index again before it looks up the keys of an account that holds some', () => {
    f.transactions.createMany([keyed(7, 'Card')]);
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter({ uniqueImportKeys: true });
      // A new account's rows need no lookup: the index is set aside.
      write(rows(0, 4));
      expect(indexSql()).toBeUndefined();
      // Card holds a key: it is looked up, through the index made again first.
      const card = write([keyed(7, 'Card'), keyed(8, 'Card')]);
      expect(indexSql()).toBeDefined();
      expect(card).toMatchObject({ created: 1, skipped: 1, skippedIndexes: [0] });
      // Set aside once at most: later rows keep it up to date.
      write(rows(20, 4));
      expect(indexSql()).toBeDefined();
      write.finish();
    });
    expect(lookupUsesIndex()).toBe(true);
  });

  it('leaves the index in place when the import is rolled back', () => {
    const before = indexSql();
    expect(() =>
      f.vault.transaction(() => {
        const write = f.transactions.chunkWriter({ uniqueImportKeys: true });
        write(rows(0, 5));
        expect(indexSql()).toBeUndefined();
        throw new Error('the import failed half way');
      }),
    ).toThrow('the import failed half way');
    expect(indexSql()).toBe(before);
    expect(f.transactions.count()).toBe(0);
  });

  it('never sets the index aside for a writer that looks every key up', () => {
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter();
      write(rows(0, 5));
      expect(indexSql()).toBeDefined();
      write.finish();
    });
  });
});

describe('DeferredIndexes through TransactionService.chunkWriter: a new account', () => {
  it('sets the list indexes aside too while it writes only into accounts that held no row', () => {
    f.transactions.createMany([keyed(90, 'Card')]);
    const before = listIndexes();
    expect(before.every((sql) => sql !== undefined)).toBe(true);
    const during: (string | undefined)[][] = [];
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter({
        uniqueImportKeys: true,
        newAccounts: new Set([accountId('Checking')]),
      });
      write(rows(0, 4));
      during.push(listIndexes(), [indexSql()]);
      write.finish();
    });
    expect(during).toEqual([[undefined, undefined, undefined], [undefined]]);
    expect(listIndexes()).toEqual(before);
    // Lists read through them again, and every row is there.
    const plan = f.vault.db
      .prepare<[string], { detail: string }>(
        'EXPLAIN QUERY PLAN SELECT id FROM transactions WHERE account_id = ? ORDER BY date, id',
      )
      .all(accountId('Checking'))
      .map((step) => step.detail)
      .join('\n');
    expect(plan).toContain('transactions_account_date');
    expect(f.transactions.list({ accountId: 'Checking' })).toHaveLength(4);
  });

  it('makes the list indexes again before it writes a row of an account that held some', () => {
    f.transactions.createMany([keyed(90, 'Card')]);
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter({
        uniqueImportKeys: true,
        newAccounts: new Set([accountId('Checking')]),
      });
      write(rows(0, 4));
      expect(listIndexes()).toEqual([undefined, undefined, undefined]);
      // Card held a row: its chunk is written, and looked up, with every index there.
      const card = write([keyed(90, 'Card'), keyed(91, 'Card')]);
      expect(listIndexes().every((sql) => sql !== undefined)).toBe(true);
      expect(indexSql()).toBeDefined();
      expect(card).toMatchObject({ created: 1, skipped: 1 });
      write.finish();
    });
    expect(f.transactions.count()).toBe(6);
  });

  /** A first import of four rows into Checking, then `end` inside the same transaction. */
  function firstImportThen(end: (write: ChunkWriter) => void): void {
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter({
        uniqueImportKeys: true,
        newAccounts: new Set([accountId('Checking')]),
      });
      write(rows(0, 4));
      end(write);
    });
  }

  it('a rolled-back import leaves every index as it was', () => {
    const before = [...listIndexes(), indexSql()];
    expect(() =>
      firstImportThen(() => {
        throw new Error('the import failed half way');
      }),
    ).toThrow('the import failed half way');
    expect([...listIndexes(), indexSql()]).toEqual(before);
  });

  it('finish({ rollingBack }) leaves the indexes to the rollback instead of sorting them again', () => {
    const before = [...listIndexes(), indexSql()];
    expect(() =>
      firstImportThen((write) => {
        write.finish({ rollingBack: true });
        // Not made again: what a dry run of a large first import no longer pays for.
        expect([...listIndexes(), indexSql()]).toEqual([
          undefined,
          undefined,
          undefined,
          undefined,
        ]);
        throw new Error('dry run');
      }),
    ).toThrow('dry run');
    expect([...listIndexes(), indexSql()]).toEqual(before);
    expect(lookupUsesIndex()).toBe(true);
    expect(f.transactions.count()).toBe(0);
  });

  it('a writer not promised unique keys keeps the list indexes whatever accounts it is told are new', () => {
    f.vault.transaction(() => {
      const write = f.transactions.chunkWriter({ newAccounts: new Set([accountId('Checking')]) });
      write(rows(0, 4));
      expect(listIndexes().every((sql) => sql !== undefined)).toBe(true);
      write.finish();
    });
  });
});

describe('DeferredIndexes', () => {
  it('makes the indexes again once the writer passes its row bound, and keeps them from then on', () => {
    const seen: (string | undefined)[] = [];
    f.vault.transaction(() => {
      const deferred = new DeferredIndexes(f.vault.db, [CONTENT_KEY_INDEX], 5);
      deferred.setAside(3);
      seen.push(indexSql());
      deferred.setAside(5);
      seen.push(indexSql());
      // Past the bound: the sort happens now, over a table of at most twice the bound.
      deferred.setAside(6);
      seen.push(indexSql());
      deferred.setAside(7);
      seen.push(indexSql());
      deferred.restore();
    });
    expect(seen.map((sql) => sql !== undefined)).toEqual([false, false, true, true]);
  });

  it('never sets them aside for a table already larger than its row bound', () => {
    f.transactions.createMany(rows(0, 6));
    f.vault.transaction(() => {
      const deferred = new DeferredIndexes(f.vault.db, [CONTENT_KEY_INDEX], 5);
      deferred.setAside(5);
      expect(indexSql()).toBeDefined();
    });
  });
});
