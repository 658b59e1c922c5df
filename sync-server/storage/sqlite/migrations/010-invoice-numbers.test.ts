import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { migration } from './010-invoice-numbers.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO = MIGRATIONS.slice(0, migration.version);
const INVOICE_A = '01900000-0000-7000-8000-00000000000a';
const INVOICE_B = '01900000-0000-7000-8000-00000000000b';

const bind = (db: SqliteDatabase, workspace: string, invoice: string, number: number): void => {
  db.prepare(
    `INSERT INTO invoice_numbers (workspace_id, invoice_id, number, assigned_at)
     VALUES (?, ?, ?, 1)`,
  ).run(workspace, invoice, number);
};

describe('migration invoice-numbers', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates the previous version keeping its workspaces', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO, targetVersion: migration.version - 1 });
    db.prepare(
      "INSERT INTO workspaces (id, name_blob, created_at) VALUES ('w1', 'bmFtZQ==', 1)",
    ).run();
    expect(runMigrations(db, { migrations: UPTO })).toEqual([migration.version]);
    expect(schemaVersion(db)).toBe(migration.version);
    bind(db, 'w1', INVOICE_A, 1);
    expect(db.prepare('SELECT count(*) FROM workspaces').pluck().get()).toBe(1);
  });

  it('binds a number to one invoice and an invoice to one number, per workspace', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO });
    const target = db;
    for (const id of ['w1', 'w2']) {
      db.prepare(
        "INSERT INTO workspaces (id, name_blob, created_at) VALUES (?, 'bmFtZQ==', 1)",
      ).run(id);
    }
    bind(db, 'w1', INVOICE_A, 1);
    expect(() => bind(target, 'w1', INVOICE_B, 1)).toThrow(/UNIQUE/);
    expect(() => bind(target, 'w1', INVOICE_A, 2)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => bind(target, 'w1', INVOICE_B, 0)).toThrow(/CHECK/);
    expect(() => bind(target, 'w1', 'short', 2)).toThrow(/CHECK/);
    expect(() => bind(target, 'nowhere', INVOICE_B, 1)).toThrow(/FOREIGN KEY/);
    // Numbers are per workspace, and go with it.
    bind(db, 'w2', INVOICE_A, 1);
    db.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    expect(db.prepare('SELECT workspace_id FROM invoice_numbers').pluck().all()).toEqual(['w2']);
  });
});
