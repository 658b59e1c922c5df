import { afterEach, describe, expect, it } from 'vitest';

import { EPOCH_ID_META } from '../../change-log.repository.js';
import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO_CHANGE_LOG = MIGRATIONS.slice(0, 8);

const insertChange = (
  db: SqliteDatabase,
  seq: number,
  changeId: string,
  overrides: { nonce?: Buffer; ciphertext?: Buffer; workspace?: string } = {},
): void => {
  db.prepare(
    `INSERT INTO change_log (workspace_id, seq, change_id, collection, key_version, nonce,
                             ciphertext, received_at)
     VALUES (?, ?, ?, 'transactions', 1, ?, ?, 1)`,
  ).run(
    overrides.workspace ?? 'w1',
    seq,
    changeId,
    overrides.nonce ?? Buffer.alloc(12, 1),
    overrides.ciphertext ?? Buffer.alloc(32, 2),
  );
};

describe('migration 008-change-log', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('migrates a version-7 database keeping its workspaces, and gives it an epoch id', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_CHANGE_LOG, targetVersion: 7 });
    db.prepare(
      "INSERT INTO workspaces (id, name_blob, created_at) VALUES ('w1', 'bmFtZQ==', 1)",
    ).run();
    db.prepare("INSERT INTO server_meta (key, value) VALUES ('master_key_id', 'k1')").run();

    expect(runMigrations(db, { migrations: UPTO_CHANGE_LOG })).toEqual([8]);
    expect(schemaVersion(db)).toBe(8);
    expect(db.prepare('SELECT count(*) FROM workspaces').pluck().get()).toBe(1);
    const epoch = db
      .prepare('SELECT value FROM server_meta WHERE key = ?')
      .pluck()
      .get(EPOCH_ID_META);
    expect(epoch).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    insertChange(db, 1, 'c1');
    expect(db.prepare('SELECT count(*) FROM change_log').pluck().get()).toBe(1);
  });

  it('refuses a second seq or change id in a workspace, bad nonces and unknown workspaces', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO_CHANGE_LOG });
    const target = db;
    for (const id of ['w1', 'w2']) {
      db.prepare(
        "INSERT INTO workspaces (id, name_blob, created_at) VALUES (?, 'bmFtZQ==', 1)",
      ).run(id);
    }
    insertChange(db, 1, 'c1');
    expect(() => insertChange(target, 1, 'c2')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insertChange(target, 2, 'c1')).toThrow(/UNIQUE/);
    expect(() => insertChange(target, 0, 'c3')).toThrow(/CHECK/);
    expect(() => insertChange(target, 3, 'c4', { nonce: Buffer.alloc(11) })).toThrow(/CHECK/);
    expect(() => insertChange(target, 3, 'c5', { ciphertext: Buffer.alloc(15) })).toThrow(/CHECK/);
    expect(() => insertChange(target, 1, 'c1', { workspace: 'nowhere' })).toThrow(/FOREIGN KEY/);
    // Seq and change id are per workspace.
    insertChange(db, 1, 'c1', { workspace: 'w2' });
    db.prepare("DELETE FROM workspaces WHERE id = 'w1'").run();
    expect(db.prepare('SELECT workspace_id FROM change_log').pluck().all()).toEqual(['w2']);
  });
});
