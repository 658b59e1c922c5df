import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_AUDIT = MIGRATIONS.slice(0, 4);

function insertUser(db: SqliteDatabase, id: string): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
     VALUES (?, ?, 'sealed', '$argon2id$…', 1, 1, 1)`,
  ).run(id, `lookup-${id}`);
}

function insertAudit(
  db: SqliteDatabase,
  id: string,
  userId: string | null,
  subject: string | null,
  outcome = 'success',
): void {
  db.prepare(
    `INSERT INTO audit_log (id, at, request_id, action, status_code, outcome, ip, user_id, subject_user_id)
     VALUES (?, 1, 'r', 'GET /v1/me', 200, ?, '127.0.0.1', ?, ?)`,
  ).run(id, outcome, userId, subject);
}

const count = (db: SqliteDatabase): number =>
  db.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

describe('migration 004-audit', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-3 database, keeping its users, and creates the audit log', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_AUDIT, targetVersion: 3 });
    insertUser(db, 'u1');

    expect(runMigrations(db, { migrations: UPTO_AUDIT })).toEqual([4]);
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    insertAudit(db, 'a1', 'u1', null);
    insertAudit(db, 'a2', null, null);
    expect(count(db)).toBe(2);
  });

  it('refuses unknown users and unknown outcomes', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_AUDIT });
    const target = db;
    expect(() => insertAudit(target, 'a1', 'nobody', null)).toThrow(/FOREIGN KEY/);
    expect(() => insertAudit(target, 'a2', null, 'nobody')).toThrow(/FOREIGN KEY/);
    expect(() => insertAudit(target, 'a3', null, null, 'maybe')).toThrow(/CHECK/);
  });

  it('deleting a user removes the rows they made or that name them, and only theirs', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_AUDIT });
    insertUser(db, 'u1');
    insertUser(db, 'u2');
    insertAudit(db, 'a1', 'u1', null);
    insertAudit(db, 'a2', null, 'u1');
    insertAudit(db, 'a3', 'u2', 'u2');
    insertAudit(db, 'a4', null, null);
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(db.prepare('SELECT id FROM audit_log ORDER BY id').pluck().all()).toEqual(['a3', 'a4']);
  });
});
