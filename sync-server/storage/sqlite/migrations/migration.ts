import type { SqliteDatabase } from '../sqlite-database.js';

/**
 * One schema step. `up` runs inside a transaction together with the `user_version` bump,
 * so a failed migration leaves the database at the previous version.
 */
export interface SqliteMigration {
  /** 1, 2, 3 … without gaps; becomes `PRAGMA user_version` once applied. */
  version: number;
  name: string;
  up(db: SqliteDatabase): void;
}

/** Same type under the short name. */
export type Migration = SqliteMigration;
