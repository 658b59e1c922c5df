import type { PgMigration } from './migration.js';

/** Abuse counters and per-account request rates (SQLite migration 005). */
export const migration: PgMigration = {
  version: 5,
  name: 'counters',
  async up(client) {
    await client.query(`
      CREATE TABLE counters (
        scope      TEXT NOT NULL,
        key        TEXT NOT NULL,
        state      TEXT NOT NULL,
        version    BIGINT NOT NULL CHECK (version >= 1),
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX counters_by_expiry ON counters (expires_at);

      CREATE TABLE request_rates (
        key TEXT PRIMARY KEY,
        tat DOUBLE PRECISION NOT NULL
      );
    `);
  },
};
