import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

let temp: TempDatabase;

const insertAccount = `INSERT INTO accounts (id, name, currency, kind, created_at, updated_at)
  VALUES ('a1', 'Checking', 'USD', 'checking', 1, 1)`;
const insertTx = `INSERT INTO transactions (id, account_id, date, amount_minor, currency, import_id, created_at, updated_at)
  VALUES (?, 'a1', '2026-01-02', -100, 'USD', ?, 1, 1)`;

function indexEntries(): number {
  return Number(
    temp.db
      .prepare(
        'SELECT count(*) FROM transactions INDEXED BY transactions_account_import WHERE import_id IS NOT NULL',
      )
      .pluck()
      .get(),
  );
}

function plan(sql: string): string {
  const rows = temp.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('a1', 'x') as { detail: string }[];
  return rows.map((row) => row.detail).join('\n');
}

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 9 });
  temp.db.exec(insertAccount);
  temp.db.prepare(insertTx).run('t1', 'ofx:1');
  temp.db.prepare(insertTx).run('t2', null);
});

afterEach(() => temp.cleanup());

describe('migration 010 (partial import index)', () => {
  it('indexes only rows with a bank id, and a bank id is still imported once per account', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 10 });
    expect(schemaVersion(temp.db)).toBe(10);
    temp.db.prepare(insertTx).run('t3', null);
    temp.db.prepare(insertTx).run('t4', 'ofx:2');
    expect(indexEntries()).toBe(2);
    expect(() => temp.db.prepare(insertTx).run('t5', 'ofx:1')).toThrow(/UNIQUE/);
    // Tombstones count: a deleted row's bank id is still taken.
    temp.db.prepare("UPDATE transactions SET deleted_at = 2 WHERE id = 't4'").run();
    expect(() => temp.db.prepare(insertTx).run('t6', 'ofx:2')).toThrow(/UNIQUE/);
  });

  it('leaves the bank-id lookups on the index', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 10 });
    expect(
      plan('SELECT count(*) FROM transactions WHERE account_id = ? AND import_id = ?'),
    ).toMatch(/USING COVERING INDEX transactions_account_import/);
    expect(
      plan(`SELECT import_id FROM transactions
            WHERE account_id = ? AND import_id IN (SELECT value FROM json_each(?))`),
    ).toMatch(/INDEX transactions_account_import/);
  });
});
