import { DatabaseTooNewError } from '../../sqlite/migrations/run-migrations.js';
import type { PgDatabase } from '../pg-database.js';
import type { PgMigration } from './migration.js';
import { PG_MIGRATIONS } from './index.js';

/**
 * Advisory lock key the runner holds while it migrates. Several server instances may start
 * at once on one database: the first migrates, the others wait for it and then find nothing
 * left to do.
 */
const MIGRATION_LOCK = "hashtextextended('coffer-sync-server:migrations', 0)";

/** One row: the version the schema is at (SQLite keeps it in PRAGMA user_version). */
const VERSION_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_version (
    single  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (single),
    version INTEGER NOT NULL CHECK (version >= 0)
  )`;

export async function pgSchemaVersion(db: PgDatabase): Promise<number> {
  const exists = await db.query<{ found: string | null }>(
    "SELECT to_regclass('schema_version')::text AS found",
  );
  if (exists.rows[0]?.found === null || exists.rows[0] === undefined) return 0;
  const row = await db.query<{ version: number }>('SELECT version FROM schema_version');
  return row.rows[0]?.version ?? 0;
}

/**
 * Applies every migration above the schema's version, each in its own transaction with
 * the version bump, holding the migration lock throughout. `targetVersion` stops early
 * (migration tests build a database at N-1 this way). Returns the versions applied.
 */
export async function runPgMigrations(
  db: PgDatabase,
  options: { migrations?: readonly PgMigration[]; targetVersion?: number } = {},
): Promise<number[]> {
  const migrations = options.migrations ?? PG_MIGRATIONS;
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration ${migration.name} has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
  const latest = migrations.length;
  const target = options.targetVersion ?? latest;

  const client = await db.pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await client.query(VERSION_TABLE);
      await client.query(
        'INSERT INTO schema_version (single, version) VALUES (TRUE, 0) ON CONFLICT DO NOTHING',
      );
      const current = (
        await client.query<{ version: number }>('SELECT version FROM schema_version')
      ).rows[0]?.version;
      if (current === undefined) throw new Error('schema_version has no row');
      if (current > latest) throw new DatabaseTooNewError(current, latest);
      const applied: number[] = [];
      for (const migration of migrations) {
        if (migration.version <= current || migration.version > target) continue;
        await client.query('BEGIN');
        try {
          await migration.up(client);
          await client.query('UPDATE schema_version SET version = $1', [migration.version]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.version);
      }
      return applied;
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  } catch (error) {
    // A connection left in an unknown state (a failed unlock or rollback) is closed.
    broken = error instanceof Error ? error : new Error('migration failed');
    throw error;
  } finally {
    client.release(broken);
  }
}
