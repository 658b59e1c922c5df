import type { SqliteMigration } from './migration.js';

/**
 * A flood of refused requests is summed up instead of written one row each
 * (audit/refusal-aggregator.ts): `repeats` is how many requests alike a row stands for, 1
 * for every row written before this migration and for every request written on its own.
 */
export const migration: SqliteMigration = {
  version: 14,
  name: 'audit-repeats',
  up(db) {
    db.exec(`
      ALTER TABLE audit_log ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1 CHECK (repeats >= 1);
    `);
  },
};
