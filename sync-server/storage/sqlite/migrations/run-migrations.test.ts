import { afterEach, describe, expect, it } from 'vitest';

import { openSqliteDatabase } from '../sqlite-database.js';
import type { SqliteDatabase } from '../sqlite-database.js';
import { MIGRATIONS } from './index.js';
import type { SqliteMigration } from './migration.js';
import { DatabaseTooNewError, runMigrations, schemaVersion } from './run-migrations.js';

const table = (version: number, name: string): SqliteMigration => ({
  version,
  name,
  up: (db) => db.exec(`CREATE TABLE ${name} (id INTEGER PRIMARY KEY)`),
});

describe('runMigrations', () => {
  let db: SqliteDatabase;
  afterEach(() => db.close());

  it('applies the registered migrations in order, once', () => {
    db = openSqliteDatabase(':memory:');
    expect(runMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(runMigrations(db)).toEqual([]);
  });

  it('stops at targetVersion and continues later', () => {
    db = openSqliteDatabase(':memory:');
    const migrations = [table(1, 'a'), table(2, 'b'), table(3, 'c')];
    expect(runMigrations(db, { migrations, targetVersion: 2 })).toEqual([1, 2]);
    expect(runMigrations(db, { migrations })).toEqual([3]);
  });

  it('rolls a failing migration back entirely, version included', () => {
    db = openSqliteDatabase(':memory:');
    const failing: SqliteMigration = {
      version: 2,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half (id INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => runMigrations(db, { migrations: [table(1, 'a'), failing] })).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(
      0,
    );
  });

  it('refuses a database newer than the server', () => {
    db = openSqliteDatabase(':memory:');
    db.pragma('user_version = 99');
    expect(() => runMigrations(db)).toThrow(DatabaseTooNewError);
  });

  it('refuses a registry with gaps or out of order', () => {
    db = openSqliteDatabase(':memory:');
    expect(() => runMigrations(db, { migrations: [table(1, 'a'), table(3, 'c')] })).toThrow(
      /expected 2/,
    );
    expect(() => runMigrations(db, { migrations: [table(2, 'b'), table(1, 'a')] })).toThrow(
      /expected 1/,
    );
  });
});
