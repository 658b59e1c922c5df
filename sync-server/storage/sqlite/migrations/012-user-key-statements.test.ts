import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { migration } from './012-user-key-statements.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

const UPTO = MIGRATIONS.slice(0, migration.version);

describe('migration user-key-statements', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('keeps the user keys of the previous version, without statements, and bounds new ones', () => {
    db = openSqliteDatabase(':memory:');
    runMigrations(db, { migrations: UPTO, targetVersion: migration.version - 1 });
    db.prepare(
      `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at,
                          password_changed_at)
       VALUES ('u1', 'l1', 's1', 'h1', 1, 1, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO user_keys (user_id, version, public_key, recovery_public_key, recovery_blob,
                              created_at) VALUES ('u1', 1, ?, ?, ?, 1)`,
    ).run(Buffer.alloc(32, 1), Buffer.alloc(32, 2), Buffer.alloc(81, 3));
    expect(runMigrations(db, { migrations: UPTO })).toEqual([migration.version]);
    expect(schemaVersion(db)).toBe(migration.version);
    expect(
      db
        .prepare('SELECT signing_public_key, self_signature, previous_signature FROM user_keys')
        .get(),
    ).toEqual({ signing_public_key: null, self_signature: null, previous_signature: null });

    const target = db;
    const version2 = (signing: Buffer, self: Buffer, previous: Buffer | null) =>
      target
        .prepare(
          `INSERT INTO user_keys (user_id, version, public_key, recovery_public_key, recovery_blob,
                                  created_at, signing_public_key, self_signature,
                                  previous_signature)
           VALUES ('u1', 2, ?, ?, ?, 1, ?, ?, ?)`,
        )
        .run(
          Buffer.alloc(32, 4),
          Buffer.alloc(32, 2),
          Buffer.alloc(81, 3),
          signing,
          self,
          previous,
        );
    expect(() => version2(Buffer.alloc(31), Buffer.alloc(64), Buffer.alloc(64))).toThrow(/CHECK/);
    expect(() => version2(Buffer.alloc(32), Buffer.alloc(65), Buffer.alloc(64))).toThrow(/CHECK/);
    expect(() => version2(Buffer.alloc(32), Buffer.alloc(64), Buffer.alloc(63))).toThrow(/CHECK/);
    version2(Buffer.alloc(32, 5), Buffer.alloc(64, 6), Buffer.alloc(64, 7));
    expect(db.prepare('SELECT count(*) FROM user_keys').pluck().get()).toBe(2);
  });
});
