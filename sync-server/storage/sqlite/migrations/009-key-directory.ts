import type { SqliteMigration } from './migration.js';

/**
 * The key directory (issue 9, keys; docs/sync-keys.md): public keys and sealed boxes only.
 *
 * - `user_keys`: each user's user public key per version, the Account Recovery Key's public
 *   half and the user key sealed to it.
 * - `device_keys`: a device is one session; its public key and the user key sealed to it.
 *   A session's rows go with it when it is pruned (a revoked one keeps them until then, but
 *   only that session could read them, and it is refused).
 * - `workspace_keys`: each version of a workspace key sealed to each member's user key.
 *
 * Public keys are 32 bytes; boxes are bounded (a sealed 32-byte key is 81 bytes).
 */
export const migration: SqliteMigration = {
  version: 9,
  name: 'key-directory',
  up(db) {
    db.exec(`
      CREATE TABLE user_keys (
        user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version             INTEGER NOT NULL CHECK (version >= 1),
        public_key          BLOB NOT NULL CHECK (length(public_key) = 32),
        recovery_public_key BLOB NOT NULL CHECK (length(recovery_public_key) = 32),
        recovery_blob       BLOB NOT NULL CHECK (length(recovery_blob) BETWEEN 1 AND 1024),
        created_at          INTEGER NOT NULL,
        PRIMARY KEY (user_id, version)
      ) STRICT;

      CREATE TABLE device_keys (
        session_id       TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        public_key       BLOB NOT NULL CHECK (length(public_key) = 32),
        user_key_version INTEGER NOT NULL CHECK (user_key_version >= 1),
        sealed_user_key  BLOB NOT NULL CHECK (length(sealed_user_key) BETWEEN 1 AND 1024),
        created_at       INTEGER NOT NULL,
        PRIMARY KEY (session_id, user_key_version)
      ) STRICT;
      CREATE INDEX device_keys_by_user ON device_keys (user_id);

      CREATE TABLE workspace_keys (
        workspace_id     TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        key_version      INTEGER NOT NULL CHECK (key_version >= 1),
        user_id          TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        user_key_version INTEGER NOT NULL CHECK (user_key_version >= 1),
        sealed_key       BLOB NOT NULL CHECK (length(sealed_key) BETWEEN 1 AND 1024),
        created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at       INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, key_version, user_id)
      ) STRICT;
      CREATE INDEX workspace_keys_by_user ON workspace_keys (user_id);
    `);
  },
};
