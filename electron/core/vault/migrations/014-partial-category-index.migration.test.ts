import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const CHECKING = '01940000-0000-7000-8000-00000000a001';
const RENT = '01940000-0000-7000-8000-00000000c001';
const FOOD = '01940000-0000-7000-8000-00000000c002';

let temp: TempDatabase;

function indexEntries(): number {
  return temp.db
    .prepare(
      'SELECT count(*) FROM transactions INDEXED BY transactions_category WHERE category_id IS NOT NULL',
    )
    .pluck()
    .get() as number;
}

function plan(sql: string, ...params: unknown[]): string {
  const rows = temp.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((row) => row.detail).join('\n');
}

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 13 });
  temp.db
    .prepare(
      `INSERT INTO accounts (id, name, currency, kind, created_at, updated_at)
       VALUES (?, 'Checking', 'USD', 'checking', 1, 1)`,
    )
    .run(CHECKING);
  const category = temp.db.prepare(
    `INSERT INTO categories (id, name, kind, created_at, updated_at) VALUES (?, ?, 'expense', 1, 1)`,
  );
  category.run(RENT, 'Rent');
  category.run(FOOD, 'Food');
  const tx = temp.db.prepare(
    `INSERT INTO transactions (id, account_id, date, amount_minor, currency, category_id, created_at, updated_at)
     VALUES (?, ?, ?, -100, 'USD', ?, 1, 1)`,
  );
  tx.run('t1', CHECKING, '2026-01-02', RENT);
  tx.run('t2', CHECKING, '2026-01-03', null);
  tx.run('t3', CHECKING, '2026-01-04', FOOD);
  tx.run('t4', CHECKING, '2026-01-05', null);
  tx.run('t5', CHECKING, '2026-01-06', RENT);
});

afterEach(() => temp.cleanup());

describe('migration 014 (category index without uncategorised rows)', () => {
  it('keeps an entry only for rows that have a category', () => {
    expect(indexEntries()).toBe(3);
    const before = temp.db
      .prepare('SELECT count(*) FROM transactions INDEXED BY transactions_category')
      .pluck()
      .get();
    expect(before).toBe(5);

    runMigrations(temp.db, MIGRATIONS, { target: 14 });
    expect(schemaVersion(temp.db)).toBe(14);
    const sql = temp.db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'transactions_category'")
      .pluck()
      .get() as string;
    expect(sql).toMatch(/WHERE category_id IS NOT NULL/);
    expect(indexEntries()).toBe(3);
    const partial = temp.db
      .prepare("SELECT partial FROM pragma_index_list('transactions') WHERE name = ?")
      .pluck()
      .get('transactions_category');
    expect(partial).toBe(1);
  });

  it("still answers a category's rows through the index", () => {
    runMigrations(temp.db, MIGRATIONS, { target: 14 });
    const count = 'SELECT count(*) FROM transactions WHERE category_id = ? AND deleted_at IS NULL';
    expect(plan(count, RENT)).toMatch(/INDEX transactions_category \(category_id=\?\)/);
    expect(temp.db.prepare(count).pluck().get(RENT)).toBe(2);
    expect(temp.db.prepare(count).pluck().get(FOOD)).toBe(1);
    // The ledger's list filtered by a category (its own rows or its splits').
    const list = `SELECT t.id FROM transactions t WHERE t.deleted_at IS NULL AND (t.category_id = ?
      OR t.id IN (SELECT transaction_id FROM transaction_splits WHERE category_id = ?))`;
    expect(plan(list, RENT, RENT)).toMatch(/INDEX transactions_category \(category_id=\?\)/);
    expect(temp.db.prepare(list).pluck().all(RENT, RENT)).toEqual(['t1', 't5']);
  });

  it("still refuses to delete a category that rows name, and allows one they don't", () => {
    runMigrations(temp.db, MIGRATIONS, { target: 14 });
    temp.db.pragma('foreign_keys = ON');
    expect(() => temp.db.prepare('DELETE FROM categories WHERE id = ?').run(RENT)).toThrow(
      /FOREIGN KEY/,
    );
    temp.db.prepare("UPDATE transactions SET category_id = NULL WHERE id = 't3'").run();
    expect(temp.db.prepare('DELETE FROM categories WHERE id = ?').run(FOOD).changes).toBe(1);
  });
});
