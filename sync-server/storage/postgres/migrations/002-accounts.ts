import type { PgMigration } from './migration.js';

/** Users and their sessions; see the SQLite migration of the same number for the columns. */
export const migration: PgMigration = {
  version: 2,
  name: 'accounts',
  async up(client) {
    await client.query(`
      CREATE TABLE users (
        id                  TEXT PRIMARY KEY NOT NULL,
        email_lookup        TEXT NOT NULL UNIQUE,
        email_sealed        TEXT NOT NULL,
        password_hash       TEXT NOT NULL,
        created_at          BIGINT NOT NULL,
        updated_at          BIGINT NOT NULL,
        password_changed_at BIGINT NOT NULL
      );

      CREATE TABLE sessions (
        id             TEXT PRIMARY KEY NOT NULL,
        user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash     TEXT NOT NULL UNIQUE,
        device_name    TEXT NOT NULL,
        platform       TEXT NOT NULL,
        ip             TEXT NOT NULL,
        user_agent     TEXT NOT NULL,
        created_at     BIGINT NOT NULL,
        last_seen_at   BIGINT NOT NULL,
        elevated_until BIGINT,
        revoked_at     BIGINT,
        revoked_reason TEXT CHECK (revoked_reason IN ('logout', 'revoked', 'password_changed'))
      );
      CREATE INDEX sessions_by_user ON sessions (user_id, created_at);
      CREATE INDEX sessions_by_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
      CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
    `);
  },
};
