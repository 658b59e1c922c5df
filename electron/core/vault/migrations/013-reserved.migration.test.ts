import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

let temp: TempDatabase;

function schema(): unknown[] {
  return temp.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
}

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 12 });
});

afterEach(() => temp.cleanup());

describe('migration 013 (reserved)', () => {
  it('moves the version on and leaves the schema as it was', () => {
    const before = schema();
    runMigrations(temp.db, MIGRATIONS, { target: 13 });
    expect(schemaVersion(temp.db)).toBe(13);
    expect(schema()).toEqual(before);
  });
});
