import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_PSEUDONYMS = MIGRATIONS.slice(0, 6);

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
): void {
  db.prepare(
    `INSERT INTO audit_log (id, at, request_id, action, status_code, outcome, ip, user_id, subject_user_id, device_name)
     VALUES (?, 1, 'r', 'GET /v1/me', 200, 'success', '127.0.0.1', ?, ?, 'Laptop')`,
  ).run(id, userId, subject);
}

const rows = (db: SqliteDatabase): unknown[] =>
  db
    .prepare(
      `SELECT seq, id, user_id, subject_user_id, device_name, user_pseudonym, subject_pseudonym
         FROM audit_log ORDER BY seq`,
    )
    .all();

describe('migration 006-audit-pseudonyms', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-5 database keeping every audit row, its seq and its links', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_PSEUDONYMS, targetVersion: 5 });
    insertUser(db, 'u1');
    insertAudit(db, 'a1', 'u1', null);
    insertAudit(db, 'a2', null, 'u1');
    insertAudit(db, 'a3', null, null);
    db.prepare("DELETE FROM audit_log WHERE id = 'a2'").run();
    insertAudit(db, 'a4', 'u1', 'u1');

    expect(runMigrations(db, { migrations: UPTO_PSEUDONYMS })).toEqual([6]);
    expect(schemaVersion(db)).toBe(6);
    const base = { device_name: 'Laptop', user_pseudonym: null, subject_pseudonym: null };
    expect(rows(db)).toEqual([
      { seq: 1, id: 'a1', user_id: 'u1', subject_user_id: null, ...base },
      { seq: 3, id: 'a3', user_id: null, subject_user_id: null, ...base },
      { seq: 4, id: 'a4', user_id: 'u1', subject_user_id: 'u1', ...base },
    ]);
    // New rows continue after the highest seq.
    insertAudit(db, 'a5', null, null);
    expect(db.prepare("SELECT seq FROM audit_log WHERE id = 'a5'").pluck().get()).toBe(5);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'")
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining(['audit_log_by_at', 'audit_log_by_user', 'audit_log_sign_ins']),
    );
  });

  it('deleting a user keeps the rows that named them, with the link cleared', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_PSEUDONYMS });
    insertUser(db, 'u1');
    insertUser(db, 'u2');
    insertAudit(db, 'a1', 'u1', null);
    insertAudit(db, 'a2', null, 'u1');
    insertAudit(db, 'a3', 'u2', 'u2');
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(
      db.prepare('SELECT id, user_id, subject_user_id FROM audit_log ORDER BY seq').all(),
    ).toEqual([
      { id: 'a1', user_id: null, subject_user_id: null },
      { id: 'a2', user_id: null, subject_user_id: null },
      { id: 'a3', user_id: 'u2', subject_user_id: 'u2' },
    ]);
  });

  it('refuses unknown users, and a row naming an account by both id and pseudonym', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_PSEUDONYMS });
    insertUser(db, 'u1');
    const target = db;
    expect(() => insertAudit(target, 'a1', 'nobody', null)).toThrow(/FOREIGN KEY/);
    insertAudit(db, 'a2', 'u1', 'u1');
    expect(() =>
      target.prepare("UPDATE audit_log SET user_pseudonym = 'p' WHERE id = 'a2'").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      target.prepare("UPDATE audit_log SET subject_pseudonym = 'p' WHERE id = 'a2'").run(),
    ).toThrow(/CHECK/);
    target
      .prepare("UPDATE audit_log SET user_pseudonym = 'p', user_id = NULL WHERE id = 'a2'")
      .run();
  });
});
