import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_KEY_DIRECTORY = MIGRATIONS.slice(0, 9);

function seed(db: SqliteDatabase): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at,
                        password_changed_at)
     VALUES ('u1', 'l1', 's1', 'h1', 1, 1, 1)`,
  ).run();
  db.prepare(
    "INSERT INTO workspaces (id, name_blob, created_at) VALUES ('w1', 'bmFtZQ==', 1)",
  ).run();
}

describe('migration 009-key-directory', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-8 database keeping its rows, and bounds what it stores', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_KEY_DIRECTORY, targetVersion: 8 });
    seed(db);
    expect(runMigrations(db, { migrations: UPTO_KEY_DIRECTORY })).toEqual([9]);
    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare('SELECT count(*) FROM workspaces').pluck().get()).toBe(1);

    const target = db;
    const userKey = (version: number, publicKey: Buffer, blob: Buffer) =>
      target
        .prepare(
          `INSERT INTO user_keys (user_id, version, public_key, recovery_public_key, recovery_blob,
                                  created_at) VALUES ('u1', ?, ?, ?, ?, 1)`,
        )
        .run(version, publicKey, Buffer.alloc(32, 2), blob);
    userKey(1, Buffer.alloc(32, 1), Buffer.alloc(81, 3));
    expect(() => userKey(1, Buffer.alloc(32, 4), Buffer.alloc(81, 3))).toThrow(/UNIQUE|PRIMARY/);
    expect(() => userKey(2, Buffer.alloc(31, 1), Buffer.alloc(81, 3))).toThrow(/CHECK/);
    expect(() => userKey(2, Buffer.alloc(32, 1), Buffer.alloc(1025, 3))).toThrow(/CHECK/);
    expect(() => userKey(0, Buffer.alloc(32, 1), Buffer.alloc(81, 3))).toThrow(/CHECK/);

    const workspaceKey = (workspace: string, user: string) =>
      target
        .prepare(
          `INSERT INTO workspace_keys (workspace_id, key_version, user_id, user_key_version,
                                       sealed_key, created_by, created_at)
           VALUES (?, 1, ?, 1, ?, 'u1', 1)`,
        )
        .run(workspace, user, Buffer.alloc(81, 5));
    workspaceKey('w1', 'u1');
    expect(() => workspaceKey('nowhere', 'u1')).toThrow(/FOREIGN KEY/);
    expect(() => workspaceKey('w1', 'nobody')).toThrow(/FOREIGN KEY/);
    // A workspace and a user take their keys with them.
    db.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    expect(db.prepare('SELECT count(*) FROM workspace_keys').pluck().get()).toBe(0);
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(db.prepare('SELECT count(*) FROM user_keys').pluck().get()).toBe(0);
  });
});
