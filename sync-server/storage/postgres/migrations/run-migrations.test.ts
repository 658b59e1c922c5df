import { afterEach, describe, expect, it } from 'vitest';

import { freshPostgresUrl } from '../../../test/support/postgres-test-database.js';
import { MIGRATIONS } from '../../sqlite/migrations/index.js';
import { DatabaseTooNewError } from '../../sqlite/migrations/run-migrations.js';
import { createPgDatabase } from '../pg-database.js';
import type { PgDatabase } from '../pg-database.js';
import { PG_MIGRATIONS } from './index.js';
import type { PgMigration } from './migration.js';
import { pgSchemaVersion, runPgMigrations } from './run-migrations.js';

const opened: PgDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

async function freshDatabase(url?: string): Promise<PgDatabase> {
  const db = createPgDatabase(url ?? (await freshPostgresUrl()));
  opened.push(db);
  return db;
}

describe('runPgMigrations', () => {
  it('has one PostgreSQL migration per SQLite migration, numbered and named alike', () => {
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(
      MIGRATIONS.map((m) => [m.version, m.name]),
    );
  });

  it('migrates a fresh database to the newest version; a second run is a no-op', async () => {
    const db = await freshDatabase();
    expect(await pgSchemaVersion(db)).toBe(0);
    expect(await runPgMigrations(db)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(await pgSchemaVersion(db)).toBe(PG_MIGRATIONS.length);
    expect(await runPgMigrations(db)).toEqual([]);
    expect(await pgSchemaVersion(db)).toBe(PG_MIGRATIONS.length);
  });

  it('lets several runners start at once: one migrates, the others find nothing to do', async () => {
    const url = await freshPostgresUrl();
    const runners = await Promise.all([1, 2, 3].map(() => freshDatabase(url)));
    const applied = await Promise.all(runners.map((db) => runPgMigrations(db)));
    expect(applied.flat().sort((a, b) => a - b)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    for (const db of runners) expect(await pgSchemaVersion(db)).toBe(PG_MIGRATIONS.length);
  });

  it('leaves a failed migration undone, at the version before it', async () => {
    const db = await freshDatabase();
    const broken: PgMigration = {
      version: 2,
      name: 'broken',
      async up(client) {
        await client.query('CREATE TABLE half_done (n INTEGER)');
        await client.query('SELECT no_such_function()');
      },
    };
    await expect(
      runPgMigrations(db, { migrations: [PG_MIGRATIONS[0] as PgMigration, broken] }),
    ).rejects.toThrow(/no_such_function/);
    expect(await pgSchemaVersion(db)).toBe(1);
    const { rows } = await db.query("SELECT to_regclass('half_done') AS found");
    expect(rows[0]).toEqual({ found: null });
    // The lock was let go: the next run goes ahead.
    expect(await runPgMigrations(db)).toEqual(PG_MIGRATIONS.slice(1).map((m) => m.version));
  });

  it('refuses a database newer than it knows', async () => {
    const db = await freshDatabase();
    await runPgMigrations(db);
    await expect(runPgMigrations(db, { migrations: PG_MIGRATIONS.slice(0, 3) })).rejects.toThrow(
      DatabaseTooNewError,
    );
  });

  it('refuses migrations with a gap in their versions', async () => {
    const db = await freshDatabase();
    await expect(
      runPgMigrations(db, { migrations: [PG_MIGRATIONS[1] as PgMigration] }),
    ).rejects.toThrow(/expected 1/);
  });
});
