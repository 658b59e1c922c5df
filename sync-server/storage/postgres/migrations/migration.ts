/** What a migration may run: queries on the migrating connection, inside its transaction. */
export interface PgMigrationClient {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

/**
 * One schema step, numbered as the SQLite migration it mirrors (same tables, columns and
 * constraints; BYTEA for blobs, BIGINT for every integer, as SQLite's are 64-bit: a key
 * version a client may send up to 2^32 - 1 must not overflow into a 500). `up` runs inside
 * a transaction together with the version bump, so a failed migration leaves the database
 * at the previous version.
 */
export interface PgMigration {
  version: number;
  name: string;
  up(client: PgMigrationClient): Promise<void>;
}
