import { afterEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { ledgerMigration } from './002-ledger.migration.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

let temp: TempDatabase | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

type Db = TempDatabase['db'];

/** A database at version 1 holding rows in every 001 table. */
function version1Database(): Db {
  temp = createTempDatabase();
  const db = temp.db;
  runMigrations(db, MIGRATIONS, { target: 1 });
  db.prepare("INSERT INTO meta (key, value) VALUES ('vault_id', 'v-1')").run();
  db.prepare(
    `INSERT INTO record_clocks VALUES ('accounts', 'r1', '{"000000000000001:000000:dev":"name"}')`,
  ).run();
  db.prepare(
    `INSERT INTO outbox (id, collection, record_id, op, fields_json, base_json, hlc, device_id, created_at)
     VALUES ('c1', 'accounts', 'r1', 'upsert', '{"name":"A"}', '{"name":null}', '000000000000001:000000:dev', 'dev', 1)`,
  ).run();
  db.prepare(
    `INSERT INTO attachments (id, file_name, mime_type, size, sha256, content, created_at, updated_at)
     VALUES ('a1', 'r.png', 'image/png', 3, ?, x'010203', 1, 1)`,
  ).run('0'.repeat(64));
  return db;
}

function migrated(): Db {
  const db = version1Database();
  expect(schemaVersion(db)).toBe(1);
  expect(runMigrations(db, MIGRATIONS, { target: 2 })).toEqual([2]);
  expect(schemaVersion(db)).toBe(2);
  return db;
}

function columns(db: Db, table: string): string[] {
  return db
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?) ORDER BY cid')
    .all(table)
    .map((c) => c.name);
}

function indexes(
  db: Db,
  table: string,
): Map<string, { unique: boolean; partial: boolean; columns: string[] }> {
  const list = db
    .prepare<[string], { name: string; unique: number; partial: number }>(
      'SELECT name, "unique", partial FROM pragma_index_list(?)',
    )
    .all(table);
  return new Map(
    list.map((ix) => [
      ix.name,
      {
        unique: ix.unique === 1,
        partial: ix.partial === 1,
        columns: db
          .prepare<[string], { name: string | null }>(
            'SELECT name FROM pragma_index_info(?) ORDER BY seqno',
          )
          .all(ix.name)
          .map((c) => c.name ?? '?'),
      },
    ]),
  );
}

const T0 = 1_700_000_000_000;

function seedAccount(db: Db, id = 'acc1', currency = 'USD'): void {
  db.prepare(
    `INSERT INTO accounts (id, name, currency, kind, opening_balance_minor, archived, created_at, updated_at)
     VALUES (?, 'Checking', ?, 'checking', 0, 0, ?, ?)`,
  ).run(id, currency, T0, T0);
}

function insertTx(db: Db, overrides: Record<string, unknown> = {}): void {
  const row = {
    id: 'tx1',
    account_id: 'acc1',
    date: '2025-01-31',
    amount_minor: -1234,
    currency: 'USD',
    import_id: null,
    created_at: T0,
    updated_at: T0,
    ...overrides,
  };
  db.prepare(
    `INSERT INTO transactions (id, account_id, date, amount_minor, currency, import_id, created_at, updated_at)
     VALUES (@id, @account_id, @date, @amount_minor, @currency, @import_id, @created_at, @updated_at)`,
  ).run(row);
}

describe('002-ledger migration', () => {
  it('is registered second', () => {
    expect(MIGRATIONS[1]).toBe(ledgerMigration);
    expect(ledgerMigration.version).toBe(2);
  });

  it('migrates a version-1 database and keeps its rows', () => {
    const db = migrated();
    expect(db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('vault_id')).toBe('v-1');
    expect(db.prepare('SELECT count(*) FROM record_clocks').pluck().get()).toBe(1);
    expect(db.prepare('SELECT fields_json FROM outbox WHERE id = ?').pluck().get('c1')).toBe(
      '{"name":"A"}',
    );
    const blob = db
      .prepare('SELECT content FROM attachments WHERE id = ?')
      .pluck()
      .get('a1') as Buffer;
    expect([...blob]).toEqual([1, 2, 3]);
  });

  it('creates the ledger tables with the agreed columns', () => {
    const db = migrated();
    const times = ['created_at', 'updated_at', 'deleted_at'];
    expect(columns(db, 'accounts')).toEqual([
      'id',
      'name',
      'currency',
      'kind',
      'opening_balance_minor',
      'archived',
      ...times,
    ]);
    expect(columns(db, 'categories')).toEqual([
      'id',
      'name',
      'kind',
      'parent_id',
      'archived',
      ...times,
    ]);
    expect(columns(db, 'payees')).toEqual(['id', 'name', ...times]);
    expect(columns(db, 'transactions')).toEqual([
      'id',
      'account_id',
      'date',
      'amount_minor',
      'currency',
      'payee_id',
      'category_id',
      'notes',
      'import_id',
      'import_batch',
      ...times,
    ]);
    expect(columns(db, 'transaction_splits')).toEqual([
      'transaction_id',
      'position',
      'category_id',
      'amount_minor',
      'memo',
    ]);
    expect(columns(db, 'budgets')).toEqual([
      'id',
      'month',
      'category_id',
      'amount_minor',
      'currency',
      ...times,
    ]);
  });

  it('creates the indexes the ledger queries need', () => {
    const db = migrated();
    const tx = indexes(db, 'transactions');
    expect(tx.get('transactions_account_date')?.columns).toEqual(['account_id', 'date', 'id']);
    expect(tx.get('transactions_date')?.columns).toEqual(['date', 'id']);
    expect(tx.get('transactions_category')?.columns).toEqual(['category_id', 'date']);
    expect(tx.get('transactions_account_import')).toEqual({
      unique: true,
      partial: false,
      columns: ['account_id', 'import_id'],
    });
    expect(indexes(db, 'transaction_splits').get('transaction_splits_category')?.columns).toEqual([
      'category_id',
    ]);
    expect(indexes(db, 'budgets').get('budgets_month_category')).toEqual({
      unique: true,
      partial: true,
      columns: ['month', 'category_id'],
    });
    expect(indexes(db, 'payees').get('payees_name')?.columns).toEqual(['name']);

    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM transactions WHERE date >= '2025-01-01' AND date <= '2025-01-31'",
      )
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/transactions_date/);
  });

  it('refuses float amounts, bad dates and bad currencies in SQL too', () => {
    const db = migrated();
    seedAccount(db);
    expect(() => insertTx(db, { amount_minor: 12.5 })).toThrow(/CHECK constraint/);
    expect(() => insertTx(db, { date: '2025-1-31' })).toThrow(/CHECK constraint/);
    expect(() => insertTx(db, { date: 'yesterday' })).toThrow(/CHECK constraint/);
    expect(() => insertTx(db, { currency: 'US' })).toThrow(/CHECK constraint/);
    expect(() => insertTx(db, { currency: 'usd' })).toThrow(/CHECK constraint/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO accounts (id, name, currency, kind, created_at, updated_at) VALUES ('a2', 'X', 'USD', 'piggy', 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO accounts (id, name, currency, kind, opening_balance_minor, created_at, updated_at)
           VALUES ('a3', 'Y', 'USD', 'cash', 0.5, 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO categories (id, name, kind, created_at, updated_at) VALUES ('c1', 'Food', 'spending', 1, 1)`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    insertTx(db);
    expect(db.prepare('SELECT typeof(amount_minor) FROM transactions').pluck().get()).toBe(
      'integer',
    );
  });

  it('keeps import ids unique per account, tombstones included', () => {
    const db = migrated();
    seedAccount(db);
    seedAccount(db, 'acc2');
    insertTx(db, { id: 't1', import_id: 'FIT-1' });
    db.prepare('UPDATE transactions SET deleted_at = 5 WHERE id = ?').run('t1');
    expect(() => insertTx(db, { id: 't2', import_id: 'FIT-1' })).toThrow(/UNIQUE/);
    insertTx(db, { id: 't3', account_id: 'acc2', import_id: 'FIT-1' });
    insertTx(db, { id: 't4', import_id: null });
    insertTx(db, { id: 't5', import_id: null });
  });

  it('enforces foreign keys and cascades splits with their transaction', () => {
    const db = migrated();
    expect(() => insertTx(db, { account_id: 'nope' })).toThrow(/FOREIGN KEY/);
    seedAccount(db);
    db.prepare(
      `INSERT INTO categories (id, name, kind, created_at, updated_at) VALUES ('food', 'Food', 'expense', 1, 1)`,
    ).run();
    insertTx(db);
    const split = db.prepare(
      'INSERT INTO transaction_splits (transaction_id, position, category_id, amount_minor, memo) VALUES (?, ?, ?, ?, ?)',
    );
    split.run('tx1', 0, 'food', -1000, '');
    split.run('tx1', 1, 'food', -234, 'tip');
    expect(() => split.run('tx1', 2, 'missing', -1, '')).toThrow(/FOREIGN KEY/);
    expect(() => split.run('tx1', 3, 'food', 0.5, '')).toThrow(/CHECK constraint/);
    expect(() => split.run('tx1', 0, 'food', -1, '')).toThrow(/UNIQUE|PRIMARY KEY/);
    db.prepare('DELETE FROM transactions WHERE id = ?').run('tx1');
    expect(db.prepare('SELECT count(*) FROM transaction_splits').pluck().get()).toBe(0);
  });

  it('allows one live budget per month and category', () => {
    const db = migrated();
    db.prepare(
      `INSERT INTO categories (id, name, kind, created_at, updated_at) VALUES ('food', 'Food', 'expense', 1, 1)`,
    ).run();
    const budget = db.prepare(
      `INSERT INTO budgets (id, month, category_id, amount_minor, currency, created_at, updated_at, deleted_at)
       VALUES (?, ?, 'food', 1000, 'USD', 1, 1, ?)`,
    );
    budget.run('b1', '2025-01', null);
    expect(() => budget.run('b2', '2025-01', null)).toThrow(/UNIQUE/);
    db.prepare('UPDATE budgets SET deleted_at = 2 WHERE id = ?').run('b1');
    budget.run('b3', '2025-01', null);
    budget.run('b4', '2025-02', null);
    expect(() => budget.run('b5', '2025-1', null)).toThrow(/CHECK constraint/);
  });
});
