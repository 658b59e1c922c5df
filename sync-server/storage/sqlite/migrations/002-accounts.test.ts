import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_ACCOUNTS = MIGRATIONS.slice(0, 2);

function insertUser(db: SqliteDatabase, id: string, lookup: string): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
     VALUES (?, ?, 'sealed', '$argon2id$…', 1, 1, 1)`,
  ).run(id, lookup);
}

function insertSession(db: SqliteDatabase, id: string, userId: string, tokenHash: string): void {
  db.prepare(
    `INSERT INTO sessions (id, user_id, token_hash, device_name, platform, ip, user_agent, created_at, last_seen_at)
     VALUES (?, ?, ?, 'Laptop', 'linux', '127.0.0.1', 'test', 1, 1)`,
  ).run(id, userId, tokenHash);
}

describe('migration 002-accounts', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-1 database, keeping its rows, and creates users and sessions', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_ACCOUNTS, targetVersion: 1 });
    db.prepare("INSERT INTO server_meta (key, value) VALUES ('master_key_id', 'k1')").run();

    expect(runMigrations(db, { migrations: UPTO_ACCOUNTS })).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT value FROM server_meta').pluck().get()).toBe('k1');

    insertUser(db, 'u1', 'lookup-1');
    insertSession(db, 's1', 'u1', 'hash-1');
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
  });

  it('enforces one account per email lookup and one session per token hash', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_ACCOUNTS });
    insertUser(db, 'u1', 'lookup-1');
    expect(() => insertUser(db as SqliteDatabase, 'u2', 'lookup-1')).toThrow(/UNIQUE/);
    insertSession(db, 's1', 'u1', 'hash-1');
    expect(() => insertSession(db as SqliteDatabase, 's2', 'u1', 'hash-1')).toThrow(/UNIQUE/);
    expect(() => insertSession(db as SqliteDatabase, 's3', 'nobody', 'hash-3')).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('deleting a user removes their sessions (ON DELETE CASCADE)', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_ACCOUNTS });
    insertUser(db, 'u1', 'lookup-1');
    insertUser(db, 'u2', 'lookup-2');
    insertSession(db, 's1', 'u1', 'hash-1');
    insertSession(db, 's2', 'u2', 'hash-2');
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(db.prepare('SELECT id FROM sessions').pluck().all()).toEqual(['s2']);
  });

  it('rejects an unknown revoked_reason', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_ACCOUNTS });
    insertUser(db, 'u1', 'lookup-1');
    insertSession(db, 's1', 'u1', 'hash-1');
    expect(() =>
      (db as SqliteDatabase).prepare("UPDATE sessions SET revoked_reason = 'bogus'").run(),
    ).toThrow(/CHECK/);
  });
});
