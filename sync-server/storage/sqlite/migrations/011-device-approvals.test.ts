import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { migration } from './011-device-approvals.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO = MIGRATIONS.filter((m) => m.version <= migration.version);
const REQUEST = '01900000-0000-4000-8000-00000000000a';
const OTHER = '01900000-0000-4000-8000-00000000000b';

function seed(db: SqliteDatabase): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at,
                        password_changed_at)
     VALUES ('u1', 'l1', 's1', 'h1', 1, 1, 1)`,
  ).run();
  for (const id of ['s1', 's2']) {
    db.prepare(
      `INSERT INTO sessions (id, user_id, token_hash, device_name, platform, ip, user_agent,
                             created_at, last_seen_at)
       VALUES (?, 'u1', ?, 'Laptop', 'linux', '127.0.0.1', 'test', 1, 1)`,
    ).run(id, `hash-${id}`);
  }
}

const request = (db: SqliteDatabase, id: string, key = Buffer.alloc(32, 7)) =>
  db
    .prepare(
      `INSERT INTO device_approvals (id, user_id, session_id, device_public_key, created_at,
                                     expires_at)
       VALUES (?, 'u1', 's2', ?, 1000, 901000)`,
    )
    .run(id, key);

describe('migration device-approvals', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates the previous version keeping its sessions', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO, targetVersion: migration.version - 1 });
    seed(db);
    expect(runMigrations(db, { migrations: UPTO })).toEqual([migration.version]);
    expect(schemaVersion(db)).toBe(migration.version);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2);
    request(db, REQUEST);
    expect(db.prepare('SELECT state FROM device_approvals').pluck().get()).toBe('pending');
  });

  it('holds a box exactly when approved, and goes with the requesting session', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO });
    seed(db);
    const target = db;
    request(db, REQUEST);
    expect(() => request(target, REQUEST)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => request(target, 'short')).toThrow(/CHECK/);
    expect(() => request(target, OTHER, Buffer.alloc(31))).toThrow(/CHECK/);
    const decide = (state: string, box: Buffer | null, version: number | null) =>
      target
        .prepare(
          `UPDATE device_approvals SET state = ?, decided_at = 2000, decided_by_session = 's1',
                  sealed_user_key = ?, user_key_version = ? WHERE id = ?`,
        )
        .run(state, box, version, REQUEST);
    expect(() => decide('approved', null, null)).toThrow(/CHECK/);
    expect(() => decide('denied', Buffer.alloc(81, 1), 1)).toThrow(/CHECK/);
    expect(() => decide('approved', Buffer.alloc(81, 1), null)).toThrow(/CHECK/);
    expect(() => decide('expired', null, null)).toThrow(/CHECK/);
    decide('approved', Buffer.alloc(81, 1), 1);
    // The approving session may go; the request stays, naming no decider.
    db.prepare("DELETE FROM sessions WHERE id = 's1'").run();
    expect(db.prepare('SELECT decided_by_session FROM device_approvals').pluck().get()).toBeNull();
    db.prepare("DELETE FROM sessions WHERE id = 's2'").run();
    expect(db.prepare('SELECT count(*) FROM device_approvals').pluck().get()).toBe(0);
  });
});
