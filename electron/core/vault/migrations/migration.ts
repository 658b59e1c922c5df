import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { SqliteDatabase } from '../sqlcipher.js';

/**
 * One schema step. `version` is what `PRAGMA user_version` holds once `up` has run;
 * versions start at 1 and increase by one. `up` runs inside a transaction the runner
 * opens, so it must not open or commit transactions of its own.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: SqliteDatabase): void;
}

export function schemaVersion(db: SqliteDatabase): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Highest schema version this build knows. */
export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : (migrations[migrations.length - 1]?.version ?? 0);
}

export function assertMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new CofferError(
        'INTERNAL',
        `Migration "${migration.name}" has version ${migration.version}; expected ${index + 1} (versions must be 1, 2, 3… in order).`,
      );
    }
  });
}

/**
 * Applies every migration newer than the database, each in its own transaction together
 * with its `user_version` bump, so a crash leaves the schema at a whole version.
 * Returns the versions applied. A database newer than this build is refused untouched.
 */
export function runMigrations(
  db: SqliteDatabase,
  migrations: readonly Migration[],
  options: { target?: number } = {},
): number[] {
  assertMigrationOrder(migrations);
  const latest = latestVersion(migrations);
  const target = options.target ?? latest;
  const current = schemaVersion(db);
  if (current > latest) {
    throw new CofferError(
      'VAULT_TOO_NEW',
      `This vault has schema version ${current}, but this version of Coffer only knows up to ${latest}. Update Coffer to open it.`,
      { vaultVersion: current, appVersion: latest },
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}
