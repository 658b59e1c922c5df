import type { PgMigration } from './migration.js';

/** Server-wide settings (e.g. the master key id the sealed columns use). */
export const migration: PgMigration = {
  version: 1,
  name: 'core',
  async up(client) {
    await client.query(`
      CREATE TABLE server_meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      );
    `);
  },
};
