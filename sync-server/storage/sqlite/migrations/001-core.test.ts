import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { migration } from './001-core.js';
import { runMigrations, schemaVersion } from './run-migrations.js';

describe('migration 001-core', () => {
  let db: SqliteDatabase | undefined;
  afterEach(() => db?.close());

  it('turns an empty database into version 1 with server_meta', () => {
    db = openSqliteDatabase(':memory:');
    expect(schemaVersion(db)).toBe(0);
    expect(runMigrations(db, { migrations: [migration] })).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    db.prepare("INSERT INTO server_meta (key, value) VALUES ('master_key_id', 'abc')").run();
    expect(db.prepare('SELECT key, value FROM server_meta').all()).toEqual([
      { key: 'master_key_id', value: 'abc' },
    ]);
    // STRICT table, NOT NULL value, unique key.
    expect(() =>
      db?.prepare("INSERT INTO server_meta (key, value) VALUES ('master_key_id', 'x')").run(),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db?.prepare("INSERT INTO server_meta (key, value) VALUES ('k', NULL)").run(),
    ).toThrow(/NOT NULL/);
    expect(() =>
      db?.prepare("INSERT INTO server_meta (key, value) VALUES ('k', 5)").run(),
    ).not.toThrow();
    expect(() =>
      db?.prepare("INSERT INTO server_meta (key, value) VALUES ('b', x'00')").run(),
    ).toThrow(/cannot store BLOB/);
  });
});
