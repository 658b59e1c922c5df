import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const HLC_A = '001735689600000:000001:laptop';
const HLC_B = '001735689700000:000000:laptop';

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 10 });
  temp.db.prepare("INSERT INTO meta (key, value) VALUES ('sync_server_epoch', 'e1')").run();
});

afterEach(() => temp.cleanup());

const INSERT = `INSERT INTO sync_push_acks (epoch, first_seq, last_seq, last_change_id, min_hlc, max_hlc, acked_at)
  VALUES (?, ?, ?, 'c1', ?, ?, 1)`;

function fails(...params: unknown[]): boolean {
  try {
    temp.db.prepare(INSERT).run(...params);
    return false;
  } catch {
    return true;
  }
}

describe('migration 011 (push acknowledgements)', () => {
  it('keeps the data of version 10 and adds the acknowledgement log, empty', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 11 });
    expect(schemaVersion(temp.db)).toBe(11);
    expect(
      temp.db.prepare("SELECT value FROM meta WHERE key = 'sync_server_epoch'").pluck().get(),
    ).toBe('e1');
    expect(temp.db.prepare('SELECT count(*) FROM sync_push_acks').pluck().get()).toBe(0);
  });

  it('refuses a seq range that runs backwards, a seq below 1, an empty epoch and an HLC range upside down', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 11 });
    expect(fails('e1', 1, 3, HLC_A, HLC_B)).toBe(false);
    expect(fails('e1', 4, 3, HLC_A, HLC_B)).toBe(true);
    expect(fails('e1', 0, 3, HLC_A, HLC_B)).toBe(true);
    expect(fails('', 1, 3, HLC_A, HLC_B)).toBe(true);
    expect(fails('e1', 1, 3, HLC_B, HLC_A)).toBe(true);
  });
});
