import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const NOW = 1_735_689_600_000;
const ACCOUNT = '01940000-0000-7000-8000-00000000a001';
const TX = '01940000-0000-7000-8000-00000000b001';
const CATEGORY = '01940000-0000-7000-8000-00000000c001';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 3 });
  const { db } = temp;
  db.prepare(
    `INSERT INTO accounts (id, name, currency, kind, created_at, updated_at)
     VALUES (?, 'Checking', 'EUR', 'checking', ?, ?)`,
  ).run(ACCOUNT, NOW, NOW);
  db.prepare(
    `INSERT INTO transactions (id, account_id, date, amount_minor, currency, import_id, created_at, updated_at)
     VALUES (?, ?, '2025-01-02', -4200, 'EUR', 'fitid:A1', ?, ?)`,
  ).run(TX, ACCOUNT, NOW, NOW);
  db.prepare(
    `INSERT INTO categories (id, name, kind, created_at, updated_at) VALUES (?, 'Food', 'expense', ?, ?)`,
  ).run(CATEGORY, NOW, NOW);
});

afterEach(() => temp.cleanup());

function migrate(): void {
  runMigrations(temp.db, MIGRATIONS, { target: 4 });
}

function fails(sql: string, ...params: unknown[]): boolean {
  try {
    temp.db.prepare(sql).run(...params);
    return false;
  } catch {
    return true;
  }
}

describe('migration 004 (import)', () => {
  it('keeps every transaction, with no content key yet', () => {
    migrate();
    expect(schemaVersion(temp.db)).toBe(4);
    const row = temp.db
      .prepare(`SELECT import_id, import_key, amount_minor FROM transactions WHERE id = ?`)
      .get(TX);
    expect(row).toEqual({ import_id: 'fitid:A1', import_key: null, amount_minor: -4200 });
  });

  it('stores rules that do something, and refuses ones that would do nothing', () => {
    migrate();
    const insert = `INSERT INTO payee_rules (id, position, match_kind, pattern, rename_to, category_id, created_at, updated_at)
                    VALUES (?, 0, ?, ?, ?, ?, ?, ?)`;
    expect(fails(insert, 'r1', 'contains', 'AMZN', 'Amazon', CATEGORY, NOW, NOW)).toBe(false);
    expect(fails(insert, 'r2', 'contains', 'AMZN', null, null, NOW, NOW)).toBe(true);
    expect(fails(insert, 'r3', 'fuzzy', 'AMZN', 'Amazon', null, NOW, NOW)).toBe(true);
    expect(fails(insert, 'r4', 'contains', '', 'Amazon', null, NOW, NOW)).toBe(true);
  });

  it('stores profiles only with JSON settings and a known format', () => {
    migrate();
    const insert = `INSERT INTO import_profiles (id, format, signature, settings, created_at, updated_at)
                    VALUES (?, ?, 'sig', ?, ?, ?)`;
    expect(fails(insert, 'p1', 'csv', '{"delimiter":";"}', NOW, NOW)).toBe(false);
    expect(fails(insert, 'p2', 'csv', 'not json', NOW, NOW)).toBe(true);
    expect(fails(insert, 'p3', 'xls', '{}', NOW, NOW)).toBe(true);
  });

  it('ties reviews and bank ids to rows that exist', () => {
    migrate();
    temp.db.pragma('foreign_keys = ON');
    const review = `INSERT INTO transaction_reviews (id, transaction_id, reason, created_at, updated_at)
                    VALUES (?, ?, 'possible_duplicate', ?, ?)`;
    expect(fails(review, 'v1', TX, NOW, NOW)).toBe(false);
    expect(fails(review, 'v2', 'no-such-transaction', NOW, NOW)).toBe(true);
    const bankId = `INSERT INTO account_bank_ids (id, account_id, bank_account_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?)`;
    expect(fails(bankId, 'b1', ACCOUNT, 'DE89370400440532013000', NOW, NOW)).toBe(false);
    expect(fails(bankId, 'b2', 'no-such-account', 'X', NOW, NOW)).toBe(true);
  });
});
