import type { PgMigration } from './migration.js';

/** Signed user key statements and device certificates (SQLite migration 012). */
export const migration: PgMigration = {
  version: 12,
  name: 'user-key-statements',
  async up(client) {
    await client.query(`
      ALTER TABLE user_keys
        ADD COLUMN signing_public_key BYTEA
          CHECK (signing_public_key IS NULL OR length(signing_public_key) = 32),
        ADD COLUMN self_signature BYTEA
          CHECK (self_signature IS NULL OR length(self_signature) = 64),
        ADD COLUMN previous_signature BYTEA
          CHECK (previous_signature IS NULL OR length(previous_signature) = 64);
      ALTER TABLE device_keys ADD COLUMN certificate BYTEA
        CHECK (certificate IS NULL OR length(certificate) = 64);
    `);
  },
};
