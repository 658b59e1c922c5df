import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MergeStateRepository } from '../../sync/apply/merge-state.repository.js';
import { encodeSingleClock } from '../../sync/field-clocks.js';
import { RecordClocks } from '../../sync/record-clocks.js';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const DEVICE = '0193a3f0-5c2e-7d11-8000-00000000beef';
const HLC_KEPT = `001735689600000:000001:${DEVICE}`;
const HLC_ORPHAN = `001735689600500:000000:${DEVICE}`;
const HLC_LOST = `001735689700000:000002:${DEVICE}`;

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 11 });
});

afterEach(() => temp.cleanup());

const count = (sql: string): number => Number(temp.db.prepare(sql).pluck().get());
const tables = (): string[] =>
  temp.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();

function seedVersion11(): void {
  const { db } = temp;
  db.prepare(
    "INSERT INTO payees (id, name, created_at, updated_at) VALUES ('p1', 'Shop', 1, 1)",
  ).run();
  db.prepare(
    "INSERT INTO payees (id, name, created_at, updated_at) VALUES ('p-unclocked', 'Cafe', 1, 1)",
  ).run();
  const clock = db.prepare(
    'INSERT INTO record_clocks (collection, record_id, clocks) VALUES (?, ?, ?)',
  );
  clock.run('payees', 'p1', encodeSingleClock(['name', 'createdAt', 'updatedAt'], HLC_KEPT));
  // A change for a record this vault does not hold (it waits, or was stamped before it came).
  clock.run('payees', 'p-elsewhere', encodeSingleClock(['name'], HLC_ORPHAN));
  clock.run('budgets', 'b9', JSON.stringify({ [HLC_ORPHAN]: 'amountMinor' }));
  const applied = db.prepare('INSERT INTO sync_applied (change_id, hlc) VALUES (?, ?)');
  applied.run('c1', HLC_KEPT);
  applied.run('c2', HLC_LOST);
  applied.run('c3', HLC_LOST);
}

describe('migration 012 (clocks in rows, device refs, seen HLCs)', () => {
  it("moves each record's clocks into its row, keeps the others in record_clocks, and the applied HLCs into the seen set", () => {
    seedVersion11();
    runMigrations(temp.db, MIGRATIONS, { target: 12 });
    expect(schemaVersion(temp.db)).toBe(12);

    const inRow = temp.db.prepare('SELECT sync_clocks FROM payees WHERE id = ?').pluck();
    expect(inRow.get('p1')).toBe(encodeSingleClock(['name', 'createdAt', 'updatedAt'], HLC_KEPT));
    expect(inRow.get('p-unclocked')).toBeNull();
    expect(
      temp.db.prepare('SELECT collection, record_id FROM record_clocks ORDER BY 1, 2').all(),
    ).toEqual([
      { collection: 'budgets', record_id: 'b9' },
      { collection: 'payees', record_id: 'p-elsewhere' },
    ]);

    const clocks = new RecordClocks(temp.db);
    expect(clocks.read('payees', 'p1')).toEqual({
      name: HLC_KEPT,
      createdAt: HLC_KEPT,
      updatedAt: HLC_KEPT,
    });
    expect(clocks.read('payees', 'p-elsewhere')).toEqual({ name: HLC_ORPHAN });
    expect(clocks.read('budgets', 'b9')).toEqual({ amountMinor: HLC_ORPHAN });
    expect(clocks.read('payees', 'p-unclocked')).toEqual({});

    expect(tables()).not.toContain('sync_applied');
    expect(count('SELECT count(*) FROM sync_seen_hlcs')).toBe(2);
    const state = new MergeStateRepository(temp.db);
    expect(state.isSeenHlc(HLC_KEPT)).toBe(true);
    expect(state.isSeenHlc(HLC_LOST)).toBe(true);
    expect(state.isSeenHlc(HLC_ORPHAN)).toBe(false);
    // Refs are made outside transactions only, never by a migration.
    expect(count('SELECT count(*) FROM sync_devices')).toBe(0);
  });

  it('upgrades a vault with no sync data to empty tables and unclocked rows', () => {
    temp.db
      .prepare("INSERT INTO payees (id, name, created_at, updated_at) VALUES ('p1', 'Shop', 1, 1)")
      .run();
    runMigrations(temp.db, MIGRATIONS, { target: 12 });
    expect(count('SELECT count(*) FROM payees WHERE sync_clocks IS NOT NULL')).toBe(0);
    for (const table of ['record_clocks', 'sync_devices', 'sync_seen_hlcs']) {
      expect(count(`SELECT count(*) FROM ${table}`)).toBe(0);
    }
    expect(tables()).not.toContain('sync_applied');
    // Running the migrations again is a no-op at the latest version.
    expect(runMigrations(temp.db, MIGRATIONS)).toEqual(
      MIGRATIONS.filter((m) => m.version > 12).map((m) => m.version),
    );
    expect(count('SELECT count(*) FROM payees')).toBe(1);
  });

  it('gives every synced record table the local clocks column', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 12 });
    const withColumn = temp.db
      .prepare<[], string>(
        `SELECT m.name FROM sqlite_master AS m, pragma_table_info(m.name) AS c
         WHERE m.type = 'table' AND c.name = 'sync_clocks' ORDER BY 1`,
      )
      .pluck()
      .all();
    expect(withColumn).toHaveLength(18);
    expect(withColumn).toContain('transactions');
    expect(withColumn).toContain('document_profile');
    expect(withColumn).not.toContain('transaction_splits');
  });
});
