import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_WORKSPACES = MIGRATIONS.slice(0, 7);

function insertUser(db: SqliteDatabase, id: string): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at, password_changed_at)
     VALUES (?, ?, 'sealed', '$argon2id$…', 1, 1, 1)`,
  ).run(id, `lookup-${id}`);
}

const insertWorkspace = (db: SqliteDatabase, id: string, nameBlob = 'bmFtZQ=='): void => {
  db.prepare('INSERT INTO workspaces (id, name_blob, created_at) VALUES (?, ?, 1)').run(
    id,
    nameBlob,
  );
};

const insertMember = (db: SqliteDatabase, workspace: string, user: string, role: string): void => {
  db.prepare(
    'INSERT INTO workspace_members (workspace_id, user_id, role, joined_at) VALUES (?, ?, ?, 1)',
  ).run(workspace, user, role);
};

describe('migration 007-workspaces', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-6 database keeping its users and audit rows', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_WORKSPACES, targetVersion: 6 });
    insertUser(db, 'u1');
    db.prepare(
      `INSERT INTO audit_log (id, at, request_id, action, status_code, outcome, ip, user_id)
       VALUES ('a1', 1, 'r', 'GET /v1/me', 200, 'success', '127.0.0.1', 'u1')`,
    ).run();

    expect(runMigrations(db, { migrations: UPTO_WORKSPACES })).toEqual([7]);
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(1);
    insertWorkspace(db, 'w1');
    insertMember(db, 'w1', 'u1', 'admin');
    expect(db.prepare('SELECT require_mfa, forbid_email_otp FROM workspaces').get()).toEqual({
      require_mfa: 0,
      forbid_email_otp: 0,
    });
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log'")
      .pluck()
      .all();
    expect(indexes).toContain('audit_log_by_workspace');
  });

  it('refuses unknown roles, unknown users, a second membership and an oversized name', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_WORKSPACES });
    const target = db;
    insertUser(db, 'u1');
    insertWorkspace(db, 'w1');
    expect(() => insertMember(target, 'w1', 'u1', 'owner')).toThrow(/CHECK/);
    expect(() => insertMember(target, 'w1', 'nobody', 'admin')).toThrow(/FOREIGN KEY/);
    insertMember(db, 'w1', 'u1', 'viewer');
    expect(() => insertMember(target, 'w1', 'u1', 'admin')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insertWorkspace(target, 'w2', 'x'.repeat(4097))).toThrow(/CHECK/);
  });

  it('deleting a user removes their memberships; deleting a workspace its members and invites', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_WORKSPACES });
    insertUser(db, 'u1');
    insertUser(db, 'u2');
    insertWorkspace(db, 'w1');
    insertMember(db, 'w1', 'u1', 'admin');
    insertMember(db, 'w1', 'u2', 'member');
    db.prepare(
      `INSERT INTO workspace_invites (id, workspace_id, token_hash, email_lookup, role, created_by,
                                      created_at, expires_at)
       VALUES ('i1', 'w1', 'hash', 'lookup', 'member', 'u1', 1, 2)`,
    ).run();
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(db.prepare('SELECT user_id FROM workspace_members').pluck().all()).toEqual(['u2']);
    expect(db.prepare('SELECT created_by FROM workspace_invites').pluck().get()).toBeNull();
    db.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    expect(db.prepare('SELECT count(*) FROM workspace_members').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM workspace_invites').pluck().get()).toBe(0);
  });
});
