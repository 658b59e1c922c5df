import type { SqliteMigration } from './migration.js';

/**
 * Users and their sessions. No column holds an email, password or token in the clear:
 * `email_sealed` is AES-256-GCM (SecretBox, AAD `email:<id>`), `email_lookup` a keyed
 * HMAC of the normalised address, `password_hash` an Argon2id PHC string, `token_hash`
 * the SHA-256 of the bearer token. Sessions reference users(id) ON DELETE CASCADE, as do
 * the MFA and audit tables, so deleting a user row removes the account's data.
 */
export const migration: SqliteMigration = {
  version: 2,
  name: 'accounts',
  up(db) {
    db.exec(`
      CREATE TABLE users (
        id                  TEXT PRIMARY KEY NOT NULL,
        email_lookup        TEXT NOT NULL UNIQUE,
        email_sealed        TEXT NOT NULL,
        password_hash       TEXT NOT NULL,
        created_at          INTEGER NOT NULL,
        updated_at          INTEGER NOT NULL,
        password_changed_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sessions (
        id             TEXT PRIMARY KEY NOT NULL,
        user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash     TEXT NOT NULL UNIQUE,
        device_name    TEXT NOT NULL,
        platform       TEXT NOT NULL,
        ip             TEXT NOT NULL,
        user_agent     TEXT NOT NULL,
        created_at     INTEGER NOT NULL,
        last_seen_at   INTEGER NOT NULL,
        elevated_until INTEGER,
        revoked_at     INTEGER,
        revoked_reason TEXT CHECK (revoked_reason IN ('logout', 'revoked', 'password_changed'))
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (user_id, created_at);
      CREATE INDEX sessions_by_revoked ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
      CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
    `);
  },
};
