import type { SqliteMigration } from './migration.js';

/** Server-wide settings (e.g. the master key id the sealed columns use). */
export const migration: SqliteMigration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE server_meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
