import type { PgMigration } from './migration.js';

/** Second factors, login challenges and WebAuthn ceremonies (SQLite migration 003). */
export const migration: PgMigration = {
  version: 3,
  name: 'mfa',
  async up(client) {
    await client.query(`
      CREATE TABLE mfa_totp (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        secret_sealed TEXT NOT NULL,
        confirmed_at BIGINT,
        last_step BIGINT,
        created_at BIGINT NOT NULL
      );

      CREATE TABLE mfa_email_otp (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        enabled_at BIGINT NOT NULL
      );

      CREATE TABLE mfa_email_codes (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        challenge_id TEXT,
        code_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        consumed_at BIGINT
      );
      CREATE INDEX mfa_email_codes_by_user ON mfa_email_codes (user_id, challenge_id, created_at);
      CREATE INDEX mfa_email_codes_by_expiry ON mfa_email_codes (expires_at);

      CREATE TABLE mfa_backup_code_sets (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        salt TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );

      CREATE TABLE mfa_backup_codes (
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        used_at BIGINT,
        PRIMARY KEY (user_id, code_hash)
      );

      CREATE TABLE webauthn_user_handles (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        handle TEXT NOT NULL UNIQUE
      );

      CREATE TABLE webauthn_credentials (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        public_key BYTEA NOT NULL,
        counter BIGINT NOT NULL CHECK (counter >= 0),
        transports TEXT NOT NULL,
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT
      );
      CREATE INDEX webauthn_credentials_by_user ON webauthn_credentials (user_id);

      CREATE TABLE mfa_login_challenges (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        context TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        attempts BIGINT NOT NULL DEFAULT 0,
        ended_at BIGINT
      );
      CREATE INDEX mfa_login_challenges_by_expiry ON mfa_login_challenges (expires_at);

      CREATE TABLE webauthn_challenges (
        challenge_hash TEXT PRIMARY KEY,
        ceremony TEXT NOT NULL
          CHECK (ceremony IN ('register', 'login', 'second_factor', 'step_up')),
        user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
        login_challenge_id TEXT REFERENCES mfa_login_challenges(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX webauthn_challenges_by_expiry ON webauthn_challenges (expires_at);
    `);
  },
};
