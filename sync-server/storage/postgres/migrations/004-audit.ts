import type { PgMigration } from './migration.js';

/**
 * The audit log (SQLite migration 004). `seq` is an identity column here, where SQLite
 * uses the rowid: it orders entries as they were written.
 */
export const migration: PgMigration = {
  version: 4,
  name: 'audit',
  async up(client) {
    await client.query(`
      CREATE TABLE audit_log (
        seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id              TEXT NOT NULL,
        at              BIGINT NOT NULL,
        request_id      TEXT NOT NULL,
        action          TEXT NOT NULL,
        status_code     BIGINT NOT NULL,
        error_code      TEXT,
        outcome         TEXT NOT NULL
          CHECK (outcome IN ('success', 'mfa_required', 'failure', 'rate_limited', 'error')),
        ip              TEXT NOT NULL,
        user_id         TEXT REFERENCES users(id) ON DELETE CASCADE,
        session_id      TEXT,
        workspace_id    TEXT,
        subject_user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
        factor          TEXT,
        device_name     TEXT,
        user_agent      TEXT
      );
      CREATE INDEX audit_log_by_at ON audit_log (at);
      CREATE INDEX audit_log_by_user ON audit_log (user_id, at) WHERE user_id IS NOT NULL;
      CREATE INDEX audit_log_sign_ins ON audit_log (subject_user_id, seq)
        WHERE subject_user_id IS NOT NULL;
    `);
  },
};
