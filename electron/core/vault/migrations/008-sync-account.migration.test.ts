import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../testing/temp-vault.js';
import { MIGRATIONS } from './index.js';
import { runMigrations, schemaVersion } from './migration.js';

const NOW = 1_735_689_600_000;

let temp: TempDatabase;

beforeEach(() => {
  temp = createTempDatabase();
  runMigrations(temp.db, MIGRATIONS, { target: 7 });
  temp.db
    .prepare(
      `INSERT INTO accounts (id, name, currency, kind, created_at, updated_at) VALUES ('a1', 'Cash', 'EUR', 'cash', ?, ?)`,
    )
    .run(NOW, NOW);
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

const ACCOUNT = `INSERT INTO sync_account (singleton, server_url, fingerprint, user_id, email, session_id,
  session_token, device_private_key, user_key_version, user_private_key, signed_in_at)
  VALUES (?, ?, ?, 'u1', 'a@example.test', 's1', 't', ?, 1, ?, ${NOW})`;

describe('migration 008 (sync account)', () => {
  it('keeps the data of version 7 and adds the sync tables, empty', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 8 });
    expect(schemaVersion(temp.db)).toBe(8);
    expect(temp.db.prepare('SELECT name FROM accounts').pluck().all()).toEqual(['Cash']);
    for (const table of [
      'sync_account',
      'sync_workspace',
      'sync_workspace_keys',
      'sync_pinned_keys',
    ]) {
      expect(temp.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
  });

  it('holds one account, an https server, a fingerprint of 64 hex and 32-byte keys', () => {
    runMigrations(temp.db, MIGRATIONS, { target: 8 });
    const key = Buffer.alloc(32, 1);
    const hex = 'a'.repeat(64);
    expect(fails(ACCOUNT, 1, 'https://h:1', hex, key, key)).toBe(false);
    expect(fails(ACCOUNT, 1, 'https://h:1', hex, key, key)).toBe(true);
    temp.db.prepare('DELETE FROM sync_account').run();
    expect(fails(ACCOUNT, 2, 'https://h:1', hex, key, key)).toBe(true);
    expect(fails(ACCOUNT, 1, 'http://h:1', hex, key, key)).toBe(true);
    expect(fails(ACCOUNT, 1, 'https://h:1', 'A'.repeat(64), key, key)).toBe(true);
    expect(fails(ACCOUNT, 1, 'https://h:1', hex, Buffer.alloc(31), key)).toBe(true);
    expect(fails(ACCOUNT, 1, 'https://h:1', null, key, key)).toBe(false);
    expect(
      fails(
        "INSERT INTO sync_workspace_keys (workspace_id, key_version, key) VALUES ('w', 0, ?)",
        key,
      ),
    ).toBe(true);
    expect(
      fails(
        "INSERT INTO sync_workspace (singleton, workspace_id, name, role, joined_at) VALUES (1, 'w', 'Books', 'owner', 1)",
      ),
    ).toBe(true);
  });
});
