import { afterEach, describe, expect, it } from 'vitest';

import { freshPostgresUrl } from '../../../test/support/postgres-test-database.js';
import { MIGRATIONS } from '../../sqlite/migrations/index.js';
import { runMigrations } from '../../sqlite/migrations/run-migrations.js';
import { openSqliteDatabase } from '../../sqlite/sqlite-database.js';
import type { SqliteDatabase } from '../../sqlite/sqlite-database.js';
import { createPgDatabase } from '../pg-database.js';
import type { PgDatabase } from '../pg-database.js';
import { PG_MIGRATIONS } from './index.js';
import { pgSchemaVersion, runPgMigrations } from './run-migrations.js';

/** Table name → its column names, sorted; and the names of the indexes made on purpose. */
interface SchemaShape {
  tables: Record<string, string[]>;
  indexes: string[];
}

function sqliteShape(db: SqliteDatabase): SchemaShape {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const shape: SchemaShape = { tables: {}, indexes: [] };
  for (const table of tables.sort()) {
    const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
    shape.tables[table] = columns.map((c) => c.name).sort();
  }
  shape.indexes = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
      .pluck()
      .all() as string[]
  ).sort();
  return shape;
}

async function postgresShape(db: PgDatabase): Promise<SchemaShape> {
  const columns = await db.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name <> 'schema_version'`,
  );
  const shape: SchemaShape = { tables: {}, indexes: [] };
  for (const { table_name, column_name } of columns.rows) {
    (shape.tables[table_name] ??= []).push(column_name);
  }
  shape.tables = Object.fromEntries(
    Object.entries(shape.tables)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([table, names]) => [table, names.sort()]),
  );
  // Indexes that back no constraint: the ones a migration made with CREATE INDEX.
  const indexes = await db.query<{ name: string }>(
    `SELECT i.relname AS name FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = current_schema()
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
  );
  shape.indexes = indexes.rows.map((row) => row.name).sort();
  return shape;
}

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

describe.each(PG_MIGRATIONS.map((m) => [m.version, m.name] as const))(
  'PostgreSQL migration %i-%s',
  (version) => {
    it('migrates the previous version to this one, giving the tables SQLite has at it', async () => {
      const pg = createPgDatabase(await freshPostgresUrl());
      opened.push(pg);
      await runPgMigrations(pg, { targetVersion: version - 1 });
      expect(await pgSchemaVersion(pg)).toBe(version - 1);
      expect(await runPgMigrations(pg, { targetVersion: version })).toEqual([version]);
      expect(await pgSchemaVersion(pg)).toBe(version);

      const sqlite = openSqliteDatabase(':memory:');
      opened.push(sqlite);
      runMigrations(sqlite, { migrations: MIGRATIONS, targetVersion: version });
      expect(await postgresShape(pg)).toEqual(sqliteShape(sqlite));
    });
  },
);

describe('PostgreSQL migrations, constraints SQLite has too', () => {
  let pg: PgDatabase;
  const sql = (text: string, values: unknown[] = []) => pg.query(text, values);
  const user = (id: string) =>
    sql(
      `INSERT INTO users (id, email_lookup, email_sealed, password_hash, created_at, updated_at,
                          password_changed_at) VALUES ($1, $2, 'sealed', 'h', 1, 1, 1)`,
      [id, `lookup-${id}`],
    );

  afterEach(async () => pg.close());

  it('006 keeps audit rows when their user goes, and names an account by id or pseudonym', async () => {
    pg = createPgDatabase(await freshPostgresUrl());
    await runPgMigrations(pg, { targetVersion: 5 });
    await user('u1');
    const audit = (id: string) =>
      sql(
        `INSERT INTO audit_log (id, at, request_id, action, status_code, outcome, ip, user_id,
                                subject_user_id)
         VALUES ($1, 1, 'r', 'GET /v1/me', 200, 'success', '127.0.0.1', 'u1', 'u1')`,
        [id],
      );
    await audit('a1');
    await runPgMigrations(pg, { targetVersion: 6 });
    await audit('a2');
    await sql("DELETE FROM users WHERE id = 'u1'");
    const { rows } = await sql('SELECT seq, user_id, subject_user_id FROM audit_log ORDER BY seq');
    expect(rows).toEqual([
      { seq: 1, user_id: null, subject_user_id: null },
      { seq: 2, user_id: null, subject_user_id: null },
    ]);
    await user('u2');
    await expect(
      sql(
        `INSERT INTO audit_log (id, at, request_id, action, status_code, outcome, ip, user_id,
                                user_pseudonym)
         VALUES ('a3', 1, 'r', 'x', 200, 'success', 'ip', 'u2', 'p')`,
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('008 makes an epoch id; 010 and 011 check what SQLite checks', async () => {
    pg = createPgDatabase(await freshPostgresUrl());
    await runPgMigrations(pg);
    const epoch = await sql("SELECT value FROM server_meta WHERE key = 'epoch_id'");
    expect(epoch.rows[0]?.value).toMatch(/^[0-9a-f-]{36}$/);
    await user('u1');
    await sql("INSERT INTO workspaces (id, name_blob, created_at) VALUES ('w1', 'bmFtZQ==', 1)");
    const bind = (invoice: string, number: number) =>
      sql(
        `INSERT INTO invoice_numbers (workspace_id, invoice_id, number, assigned_at)
         VALUES ('w1', $1, $2, 1)`,
        [invoice, number],
      );
    await bind('01900000-0000-7000-8000-00000000000a', 1);
    await expect(bind('01900000-0000-7000-8000-00000000000b', 1)).rejects.toThrow(/unique/);
    await expect(bind('01900000-0000-7000-8000-00000000000b', 0)).rejects.toThrow(/check/);
    await expect(bind('short', 2)).rejects.toThrow(/check/);
    await sql(
      `INSERT INTO sessions (id, user_id, token_hash, device_name, platform, ip, user_agent,
                             created_at, last_seen_at)
       VALUES ('s1', 'u1', 'th', 'Laptop', 'linux', '127.0.0.1', 'test', 1, 1)`,
    );
    const approval = (box: Buffer | null, version: number | null, state: string) =>
      sql(
        `INSERT INTO device_approvals (id, user_id, session_id, device_public_key, created_at,
                                       expires_at, state, decided_at, sealed_user_key,
                                       user_key_version)
         VALUES ('01900000-0000-4000-8000-00000000000a', 'u1', 's1', $1, 1, 2, $2, $3, $4, $5)`,
        [Buffer.alloc(32, 7), state, state === 'pending' ? null : 2, box, version],
      );
    await expect(approval(null, null, 'approved')).rejects.toThrow(/check/);
    await expect(approval(Buffer.alloc(81), 1, 'denied')).rejects.toThrow(/check/);
    await expect(approval(null, null, 'expired')).rejects.toThrow(/check/);
    await approval(Buffer.alloc(81, 1), 1, 'approved');
  });

  it('013 takes a snapshot’s chunks with it, bounds them, and 014 counts a row as one', async () => {
    pg = createPgDatabase(await freshPostgresUrl());
    await runPgMigrations(pg, { targetVersion: 13 });
    await user('u1');
    await sql("INSERT INTO workspaces (id, name_blob, created_at) VALUES ('w1', 'bmFtZQ==', 1)");
    const id = '01900000-0000-7000-8000-00000000000a';
    await sql(
      `INSERT INTO snapshots (workspace_id, id, seq, key_version, chunk_count, byte_length,
                              created_by, started_at)
       VALUES ('w1', $1, 0, 4294967295, 1, 4294967296, 'u1', 1)`,
      [id],
    );
    const chunk = (bytes: Buffer) =>
      sql(
        `INSERT INTO snapshot_chunks (workspace_id, snapshot_id, chunk_index, bytes)
         VALUES ('w1', $1, 0, $2)`,
        [id, bytes],
      );
    await expect(chunk(Buffer.alloc(0))).rejects.toThrow(/check/);
    await chunk(Buffer.alloc(16, 1));
    await sql('DELETE FROM snapshots');
    expect((await sql('SELECT count(*) AS n FROM snapshot_chunks')).rows).toEqual([{ n: 0 }]);

    await sql(
      `INSERT INTO audit_log (id, at, request_id, action, status_code, outcome, ip)
       VALUES ('a1', 1, 'r', 'x', 200, 'success', 'ip')`,
    );
    await runPgMigrations(pg, { targetVersion: 14 });
    expect((await sql('SELECT repeats FROM audit_log')).rows).toEqual([{ repeats: 1 }]);
  });
});
