import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const NOW = 1_735_689_600_000;

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 6 });
  temp.db
    .prepare(`INSERT INTO payees (id, name, created_at, updated_at) VALUES ('p1', 'Bakery', ?, ?)`)
    .run(NOW, NOW);
  temp.db
    .prepare(`INSERT INTO record_clocks (collection, record_id, clocks) VALUES ('payees', 'p1', ?)`)
    .run('{"001735689600000:000000:dev-a":"name createdAt updatedAt"}');
});

afterEach(() => temp.cleanup());

function fails(sql: string, ...params: unknown[]): boolean {
  try {
    temp.db.prepare(sql).run(...params);
    return false;
  } catch {
    return true;
  }
}

describe('migration 007 (merge)', () => {
  it('keeps the records and clocks of version 6 and starts with nothing applied, kept or pending', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 7 });
    expect(schemaVersion(temp.db)).toBe(7);
    expect(temp.db.prepare('SELECT name FROM payees').pluck().all()).toEqual(['Bakery']);
    expect(temp.db.prepare('SELECT count(*) FROM record_clocks').pluck().get()).toBe(1);
    for (const table of ['sync_applied', 'sync_conflicts', 'sync_superseded', 'sync_pending']) {
      expect(temp.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
  });

  it('refuses a kept value or a pending change that is not JSON, and an unknown pending reason', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 7 });
    expect(
      fails(
        `INSERT INTO sync_conflicts (id, collection, record_id, field, value_json, hlc, device_id)
         VALUES ('c1', 'transactions', 't1', 'amountMinor', 'not json', 'h', 'd')`,
      ),
    ).toBe(true);
    expect(
      fails(
        `INSERT INTO sync_pending (change_id, hlc, reason, change_json, received_at)
         VALUES ('x', 'h', 'unknown', '{', ?)`,
        NOW,
      ),
    ).toBe(true);
    expect(
      fails(
        `INSERT INTO sync_pending (change_id, hlc, reason, change_json, received_at)
         VALUES ('x', 'h', 'lost', '{}', ?)`,
        NOW,
      ),
    ).toBe(true);
    expect(
      fails(
        `INSERT INTO sync_pending (change_id, hlc, reason, change_json, received_at)
         VALUES ('x', 'h', 'waiting', '{}', ?)`,
        NOW,
      ),
    ).toBe(false);
  });

  it('keeps one value per (record, field, HLC): the same kept value twice is one conflict', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 7 });
    const insert = `INSERT INTO sync_conflicts (id, collection, record_id, field, value_json, hlc, device_id)
                    VALUES (?, 'transactions', 't1', 'amountMinor', '-5', 'h1', 'd')`;
    expect(fails(insert, 'c1')).toBe(false);
    expect(fails(insert, 'c2')).toBe(true);
  });
});
