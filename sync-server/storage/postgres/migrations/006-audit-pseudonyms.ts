import type { PgMigration } from './migration.js';

/**
 * Audit rows outlive their account (SQLite migration 006): the foreign keys become
 * ON DELETE SET NULL and the pseudonym columns take the account's place. PostgreSQL changes
 * the constraints in place, where SQLite rebuilds the table; rows keep their `seq`.
 */
export const migration: PgMigration = {
  version: 6,
  name: 'audit-pseudonyms',
  async up(client) {
    await client.query(`
      ALTER TABLE audit_log
        DROP CONSTRAINT audit_log_user_id_fkey,
        DROP CONSTRAINT audit_log_subject_user_id_fkey,
        ADD CONSTRAINT audit_log_user_id_fkey
          FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL,
        ADD CONSTRAINT audit_log_subject_user_id_fkey
          FOREIGN KEY (subject_user_id) REFERENCES users(id) ON DELETE SET NULL,
        ADD COLUMN user_pseudonym TEXT,
        ADD COLUMN subject_pseudonym TEXT,
        ADD CHECK (user_id IS NULL OR user_pseudonym IS NULL),
        ADD CHECK (subject_user_id IS NULL OR subject_pseudonym IS NULL);
    `);
  },
};
