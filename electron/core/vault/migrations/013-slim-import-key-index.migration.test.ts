import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import {
  EXISTING_IMPORT_KEYS,
  TransactionRepository,
} from '../../ledger/transaction.repository.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const CHECKING = '01940000-0000-7000-8000-00000000a001';
const SAVINGS = '01940000-0000-7000-8000-00000000a002';

let temp: TempDatabase;

const insertTx = `INSERT INTO transactions (id, account_id, date, amount_minor, currency, import_key, deleted_at, created_at, updated_at)
  VALUES (?, ?, '2026-01-02', -100, 'USD', ?, ?, 1, 1)`;

function indexNames(): string[] {
  return temp.db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'transactions' AND name LIKE '%import_key%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
}

function plan(sql: string): string {
  const rows = temp.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[]', CHECKING) as {
    detail: string;
  }[];
  return rows.map((row) => row.detail).join('\n');
}

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 12 });
  const account = temp.db.prepare(
    `INSERT INTO accounts (id, name, currency, kind, created_at, updated_at)
     VALUES (?, ?, 'USD', 'checking', 1, 1)`,
  );
  account.run(CHECKING, 'Checking');
  account.run(SAVINGS, 'Savings');
  temp.db.prepare(insertTx).run('t1', CHECKING, 'k:one', null);
  temp.db.prepare(insertTx).run('t2', CHECKING, null, null);
  temp.db.prepare(insertTx).run('t3', SAVINGS, 'k:three', null);
  temp.db.prepare(insertTx).run('t4', CHECKING, 'k:four', 2);
});

afterEach(() => temp.cleanup());

describe('migration 013 (content-key index without the account)', () => {
  it('replaces the (account, key) index with a partial one on the key alone', () => {
    expect(indexNames()).toEqual(['transactions_account_import_key']);
    runMigrations(temp.db, MIGRATIONS, { target: 13 });
    expect(schemaVersion(temp.db)).toBe(13);
    expect(indexNames()).toEqual(['transactions_import_key']);
    const entries = temp.db
      .prepare(
        'SELECT count(*) FROM transactions INDEXED BY transactions_import_key WHERE import_key IS NOT NULL',
      )
      .pluck()
      .get();
    expect(entries).toBe(3);
  });

  it("finds an account's keys, tombstones included, and never another account's", () => {
    runMigrations(temp.db, MIGRATIONS, { target: 13 });
    const repo = new TransactionRepository(temp.db);
    expect(
      repo.existingImportKeys(CHECKING, ['k:one', 'k:three', 'k:four', 'k:absent']).sort(),
    ).toEqual(['k:four', 'k:one']);
    expect(repo.existingImportKeys(SAVINGS, ['k:one', 'k:three', 'k:four'])).toEqual(['k:three']);
    // A row moved to another account since its import belongs to that account now.
    temp.db.prepare("UPDATE transactions SET account_id = ? WHERE id = 't1'").run(SAVINGS);
    expect(repo.existingImportKeys(CHECKING, ['k:one'])).toEqual([]);
    expect(repo.existingImportKeys(SAVINGS, ['k:one'])).toEqual(['k:one']);
  });

  it("keeps the key lookup on the key's index, not on the account's date index", () => {
    runMigrations(temp.db, MIGRATIONS, { target: 13 });
    const keysPlan = plan(EXISTING_IMPORT_KEYS);
    expect(keysPlan).toMatch(/INDEX transactions_import_key \(import_key=\?\)/);
    expect(keysPlan).not.toMatch(/transactions_account_date/);
  });
});
