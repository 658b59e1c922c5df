import { afterEach, describe, expect, it } from 'vitest';
import { isCofferError } from '../../../../shared/errors/coffer-error.js';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion, type Migration } from './migration.js';

let temp: TempDatabase | undefined;
afterEach(() => {
  temp?.cleanup();
  temp = undefined;
});

function freshDatabase(): TempDatabase['db'] {
  temp = createTempDatabase();
  return temp.db;
}

const table = (version: number, name: string): Migration => ({
  version,
  name,
  up: (db) => db.exec(`CREATE TABLE ${name} (id INTEGER PRIMARY KEY)`),
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isCofferError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('runMigrations', () => {
  it('registers migrations with versions 1, 2, 3… in order', () => {
    MIGRATIONS.forEach((migration, index) => expect(migration.version).toBe(index + 1));
  });

  it('applies only pending migrations, in order', () => {
    const db = freshDatabase();
    const list = [table(1, 'a'), table(2, 'b'), table(3, 'c')];
    expect(runMigrations(db, list, { target: 2 })).toEqual([1, 2]);
    expect(schemaVersion(db)).toBe(2);
    expect(runMigrations(db, list)).toEqual([3]);
    expect(runMigrations(db, list)).toEqual([]);
    expect(schemaVersion(db)).toBe(3);
  });

  it('rolls a failing migration back whole and keeps the earlier ones', () => {
    const db = freshDatabase();
    const failing: Migration = {
      version: 2,
      name: 'failing',
      up: (db) => {
        db.exec('CREATE TABLE half (id INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => runMigrations(db, [table(1, 'a'), failing])).toThrow('boom');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(
      0,
    );
  });

  it('refuses a database newer than the app (VAULT_TOO_NEW) without touching it', () => {
    const db = freshDatabase();
    db.pragma('user_version = 5');
    expect(codeOf(() => runMigrations(db, [table(1, 'a')]))).toBe('VAULT_TOO_NEW');
    expect(schemaVersion(db)).toBe(5);
  });

  it('rejects a list with gaps or out of order', () => {
    const db = freshDatabase();
    expect(codeOf(() => runMigrations(db, [table(1, 'a'), table(3, 'c')]))).toBe('INTERNAL');
    expect(codeOf(() => runMigrations(db, [table(2, 'b'), table(1, 'a')]))).toBe('INTERNAL');
  });
});
