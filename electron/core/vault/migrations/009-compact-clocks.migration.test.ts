import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { RecordClocks } from '../../sync/record-clocks.js';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const OLD_HLC = '001735689600000:000003:laptop';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 8 });
  // A clock as version 8 wrote it: JSON grouped by HLC.
  temp.db
    .prepare("INSERT INTO record_clocks (collection, record_id, clocks) VALUES ('payees', 'p1', ?)")
    .run(JSON.stringify({ [OLD_HLC]: 'name createdAt' }));
});

afterEach(() => temp.cleanup());

describe('migration 009 (compact clocks)', () => {
  it('keeps clocks written in the JSON form readable, and rewrites them compactly on the next write', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 9 });
    expect(schemaVersion(temp.db)).toBe(9);
    const clocks = new RecordClocks(temp.db);
    expect(clocks.read('payees', 'p1')).toEqual({ name: OLD_HLC, createdAt: OLD_HLC });

    const next = '001735689700000:000000:laptop';
    expect(clocks.stamp('payees', 'p1', ['name'], next)).toEqual({ name: OLD_HLC });
    const stored = temp.db
      .prepare("SELECT clocks FROM record_clocks WHERE record_id = 'p1'")
      .pluck()
      .get() as string;
    expect(stored.startsWith('{')).toBe(false);
    expect(clocks.read('payees', 'p1')).toEqual({ name: next, createdAt: OLD_HLC });
  });

  it('makes a build that predates compact clocks refuse the vault as too new', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 9 });
    const before = MIGRATIONS.slice(0, 8);
    let refused: unknown;
    try {
      runMigrations(temp.db, before);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(CofferError);
    expect((refused as CofferError).code).toBe('VAULT_TOO_NEW');
    expect(schemaVersion(temp.db)).toBe(9);
  });
});
