import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { migration } from './013-snapshots.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO = MIGRATIONS.slice(0, migration.version);
const SNAPSHOT_ID = '01900000-0000-7000-8000-000000000001';

function seed(db: SqliteDatabase): void {
  db.prepare(
    `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at,
                        password_changed_at)
     VALUES ('u1', 'l1', 's1', 'h1', 1, 1, 1)`,
  ).run();
  db.prepare(
    `INSERT INTO sessions (id, user_id, token_hash, device_name, platform, ip, user_agent,
                           created_at, last_seen_at)
     VALUES ('s1', 'u1', 't1', 'laptop', 'linux', '127.0.0.1', 'test', 1, 1)`,
  ).run();
  for (const id of ['w1', 'w2']) {
    db.prepare("INSERT INTO workspaces (id, name_blob, created_at) VALUES (?, 'bmFtZQ==', 1)").run(
      id,
    );
  }
}

const insertSnapshot = (db: SqliteDatabase, workspace: string, chunkCount = 2): void => {
  db.prepare(
    `INSERT INTO snapshots (workspace_id, id, seq, key_version, chunk_count, byte_length,
                            created_by, started_at)
     VALUES (?, ?, 5, 1, ?, 10, 'u1', 1)`,
  ).run(workspace, SNAPSHOT_ID, chunkCount);
};

const insertChunk = (db: SqliteDatabase, workspace: string, index: number, bytes: Buffer): void => {
  db.prepare(
    `INSERT INTO snapshot_chunks (workspace_id, snapshot_id, chunk_index, bytes)
     VALUES (?, ?, ?, ?)`,
  ).run(workspace, SNAPSHOT_ID, index, bytes);
};

describe('migration 013-snapshots', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-12 database keeping its rows, and bounds the new tables', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO, targetVersion: migration.version - 1 });
    seed(db);
    expect(runMigrations(db, { migrations: UPTO })).toEqual([migration.version]);
    expect(schemaVersion(db)).toBe(migration.version);
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);

    const target = db;
    insertSnapshot(db, 'w1');
    // The same id is free in another workspace, taken in the same one.
    insertSnapshot(db, 'w2');
    expect(() => insertSnapshot(target, 'w1')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insertSnapshot(target, 'nowhere')).toThrow(/FOREIGN KEY/);
    expect(() =>
      target
        .prepare(
          `INSERT INTO snapshots (workspace_id, id, seq, key_version, chunk_count, byte_length,
                                  started_at) VALUES ('w1', ?, 1, 1, 4097, 1, 1)`,
        )
        .run('01900000-0000-7000-8000-000000000002'),
    ).toThrow(/CHECK/);
    insertChunk(db, 'w1', 0, Buffer.alloc(4, 1));
    expect(() => insertChunk(target, 'w1', 0, Buffer.alloc(4, 2))).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insertChunk(target, 'w1', 1, Buffer.alloc(0))).toThrow(/CHECK/);
    expect(() => insertChunk(target, 'w1', 1, Buffer.alloc(1_048_577))).toThrow(/CHECK/);
    expect(() => insertChunk(target, 'w1', 4096, Buffer.alloc(1))).toThrow(/CHECK/);

    db.prepare(
      "INSERT INTO pull_cursors (workspace_id, session_id, after_seq, pulled_at) VALUES ('w1', 's1', 3, 1)",
    ).run();
    expect(() =>
      target
        .prepare(
          "INSERT INTO pull_cursors (workspace_id, session_id, after_seq, pulled_at) VALUES ('w2', 'gone', 3, 1)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(
      "INSERT INTO change_log_pruned (workspace_id, pruned_through, pruned_at) VALUES ('w1', 4, 1)",
    ).run();
    expect(() =>
      target
        .prepare(
          "INSERT INTO change_log_pruned (workspace_id, pruned_through, pruned_at) VALUES ('w2', 0, 1)",
        )
        .run(),
    ).toThrow(/CHECK/);

    // A snapshot outlives its writer's account; a cursor goes with its session; all of it
    // goes with the workspace.
    db.prepare("DELETE FROM users WHERE id = 'u1'").run();
    expect(db.prepare('SELECT DISTINCT created_by FROM snapshots').pluck().all()).toEqual([null]);
    expect(db.prepare('SELECT count(*) FROM pull_cursors').pluck().get()).toBe(0);
    db.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    expect(db.prepare('SELECT workspace_id FROM snapshots').pluck().all()).toEqual(['w2']);
    expect(db.prepare('SELECT count(*) FROM snapshot_chunks').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM change_log_pruned').pluck().get()).toBe(0);
  });
});
