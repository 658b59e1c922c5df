import type { PgMigration } from './migration.js';

/** Public keys and sealed key boxes of users, devices and workspaces (SQLite migration 009). */
export const migration: PgMigration = {
  version: 9,
  name: 'key-directory',
  async up(client) {
    await client.query(`
      CREATE TABLE user_keys (
        user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version             BIGINT NOT NULL CHECK (version >= 1),
        public_key          BYTEA NOT NULL CHECK (length(public_key) = 32),
        recovery_public_key BYTEA NOT NULL CHECK (length(recovery_public_key) = 32),
        recovery_blob       BYTEA NOT NULL CHECK (length(recovery_blob) BETWEEN 1 AND 1024),
        created_at          BIGINT NOT NULL,
        PRIMARY KEY (user_id, version)
      );

      CREATE TABLE device_keys (
        session_id       TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        public_key       BYTEA NOT NULL CHECK (length(public_key) = 32),
        user_key_version BIGINT NOT NULL CHECK (user_key_version >= 1),
        sealed_user_key  BYTEA NOT NULL CHECK (length(sealed_user_key) BETWEEN 1 AND 1024),
        created_at       BIGINT NOT NULL,
        PRIMARY KEY (session_id, user_key_version)
      );
      CREATE INDEX device_keys_by_user ON device_keys (user_id);

      CREATE TABLE workspace_keys (
        workspace_id     TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        key_version      BIGINT NOT NULL CHECK (key_version >= 1),
        user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_key_version BIGINT NOT NULL CHECK (user_key_version >= 1),
        sealed_key       BYTEA NOT NULL CHECK (length(sealed_key) BETWEEN 1 AND 1024),
        created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at       BIGINT NOT NULL,
        PRIMARY KEY (workspace_id, key_version, user_id)
      );
      CREATE INDEX workspace_keys_by_user ON workspace_keys (user_id);
    `);
  },
};
