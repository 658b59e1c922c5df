import type { SqliteMigration } from './migration.js';

/**
 * The audit log: one row per request, kept 90 days (audit/audit.prune.ts).
 *
 * No column holds a secret: the action is the route pattern (`POST /v1/auth/login`), never
 * the URL, so tokens in paths or query strings stay out; bodies and headers are not stored,
 * except the User-Agent and the device name of sign-in attempts, escaped by
 * audit/audit-event.ts. `user_id` is the signed-in caller; `subject_user_id` is the account
 * a sign-in attempt was for (the user's own sign-in history reads it). Both reference
 * users(id) ON DELETE CASCADE, so deleting an account deletes its audit trail; the repository
 * writes NULL for a user that no longer exists (the request that deleted the account is
 * recorded after the row is gone). `session_id` has no foreign key: sessions are pruned on
 * their own schedule. `workspace_id` is filled by the workspace routes (a later issue).
 * `seq` (the rowid; an identity column on PostgreSQL) orders entries as they were written,
 * which the clock alone cannot do for two requests in the same millisecond; `id` is the
 * uuidv7 the API shows.
 */
export const migration: SqliteMigration = {
  version: 4,
  name: 'audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq             INTEGER PRIMARY KEY,
        id              TEXT NOT NULL,
        at              INTEGER NOT NULL,
        request_id      TEXT NOT NULL,
        action          TEXT NOT NULL,
        status_code     INTEGER NOT NULL,
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
      ) STRICT;
      CREATE INDEX audit_log_by_at ON audit_log (at);
      CREATE INDEX audit_log_by_user ON audit_log (user_id, at) WHERE user_id IS NOT NULL;
      CREATE INDEX audit_log_sign_ins ON audit_log (subject_user_id, seq)
        WHERE subject_user_id IS NOT NULL;
    `);
  },
};
