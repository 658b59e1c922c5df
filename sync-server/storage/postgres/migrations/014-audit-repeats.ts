import type { PgMigration } from './migration.js';

/** How many requests alike an audit row stands for (SQLite migration 014). */
export const migration: PgMigration = {
  version: 14,
  name: 'audit-repeats',
  async up(client) {
    await client.query(`
      ALTER TABLE audit_log ADD COLUMN repeats BIGINT NOT NULL DEFAULT 1 CHECK (repeats >= 1);
    `);
  },
};
