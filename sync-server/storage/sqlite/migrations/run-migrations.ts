import type { SqliteDatabase } from '../sqlite-database.js';
import type { SqliteMigration } from './migration.js';
import { MIGRATIONS } from './index.js';

export class DatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(
      `The database is at schema version ${found}, newer than this server knows (${known}). ` +
        'Run a newer server.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration above the database's `user_version`, each in its own transaction
 * with the version bump. `targetVersion` stops early (migration tests build a database at
 * N-1 this way). Returns the versions applied.
 */
export function runMigrations(
  db: SqliteDatabase,
  options: { migrations?: readonly SqliteMigration[]; targetVersion?: number } = {},
): number[] {
  const migrations = options.migrations ?? MIGRATIONS;
  assertContiguous(migrations);
  const latest = migrations.length;
  const target = options.targetVersion ?? latest;
  const current = schemaVersion(db);
  if (current > latest) throw new DatabaseTooNewError(current, latest);

  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}

function assertContiguous(migrations: readonly SqliteMigration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `Migration ${migration.name} has version ${migration.version}, expected ${index + 1}`,
      );
    }
  });
}
