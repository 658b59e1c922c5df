import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_COUNTERS = MIGRATIONS.slice(0, 5);

function insertUser(db: SqliteDatabase, id: string): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
     VALUES (?, ?, 'sealed', '$argon2id$…', 1, 1, 1)`,
  ).run(id, `lookup-${id}`);
}

const insertCounter = (db: SqliteDatabase, scope: string, key: string, version = 1): void => {
  db.prepare(
    'INSERT INTO counters (scope, key, state, version, expires_at) VALUES (?, ?, ?, ?, 2)',
  ).run(scope, key, '{}', version);
};

describe('migration 005-counters', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-4 database, keeping its users, and creates the counter tables', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_COUNTERS, targetVersion: 4 });
    insertUser(db, 'u1');

    expect(runMigrations(db, { migrations: UPTO_COUNTERS })).toEqual([5]);
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    insertCounter(db, 'second_factor', 'u1');
    db.prepare('INSERT INTO request_rates (key, tat) VALUES (?, ?)').run('u1', 1.5);
    expect(db.prepare('SELECT tat FROM request_rates').pluck().get()).toBe(1.5);
  });

  it('keeps one row per scope and key, with a positive version', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_COUNTERS });
    const target = db;
    insertCounter(target, 'login_ip', '198.51.100.7');
    insertCounter(target, 'login_account', '198.51.100.7');
    expect(() => insertCounter(target, 'login_ip', '198.51.100.7')).toThrow(/UNIQUE/);
    expect(() => insertCounter(target, 'login_ip', 'other', 0)).toThrow(/CHECK/);
    expect(() =>
      target.prepare('INSERT INTO request_rates (key, tat) VALUES (?, ?)').run('k', 'soon'),
    ).toThrow(/cannot store TEXT/);
  });
});
