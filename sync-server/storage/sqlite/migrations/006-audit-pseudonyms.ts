import type { SqliteMigration } from './migration.js';

/**
 * Audit rows outlive the account they describe (issue 6): until now `user_id` and
 * `subject_user_id` referenced users(id) ON DELETE CASCADE, so deleting an account erased
 * its trail. The table is rebuilt (SQLite cannot change a foreign key in place) with
 * ON DELETE SET NULL and two columns that take the account's place once it is gone:
 * `user_pseudonym` and `subject_pseudonym`, an HMAC of the user id under the master key
 * (audit/audit-pseudonym.ts), the same on every row of that account. A row names an
 * account by id or by pseudonym, never both. Rows keep their `seq`, so the order and the
 * sign-in history cursors stay as they were; the 90-day prune goes on by `at`.
 */
export const migration: SqliteMigration = {
  version: 6,
  name: 'audit-pseudonyms',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log_next (
        seq               INTEGER PRIMARY KEY,
        id                TEXT NOT NULL,
        at                INTEGER NOT NULL,
        request_id        TEXT NOT NULL,
        action            TEXT NOT NULL,
        status_code       INTEGER NOT NULL,
        error_code        TEXT,
        outcome           TEXT NOT NULL
          CHECK (outcome IN ('success', 'mfa_required', 'failure', 'rate_limited', 'error')),
        ip                TEXT NOT NULL,
        user_id           TEXT REFERENCES users(id) ON DELETE SET NULL,
        session_id        TEXT,
        workspace_id      TEXT,
        subject_user_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
        factor            TEXT,
        device_name       TEXT,
        user_agent        TEXT,
        user_pseudonym    TEXT,
        subject_pseudonym TEXT,
        CHECK (user_id IS NULL OR user_pseudonym IS NULL),
        CHECK (subject_user_id IS NULL OR subject_pseudonym IS NULL)
      ) STRICT;
      INSERT INTO audit_log_next (seq, id, at, request_id, action, status_code, error_code,
                                  outcome, ip, user_id, session_id, workspace_id,
                                  subject_user_id, factor, device_name, user_agent)
        SELECT seq, id, at, request_id, action, status_code, error_code, outcome, ip, user_id,
               session_id, workspace_id, subject_user_id, factor, device_name, user_agent
          FROM audit_log;
      DROP TABLE audit_log;
      ALTER TABLE audit_log_next RENAME TO audit_log;
      CREATE INDEX audit_log_by_at ON audit_log (at);
      CREATE INDEX audit_log_by_user ON audit_log (user_id, at) WHERE user_id IS NOT NULL;
      CREATE INDEX audit_log_sign_ins ON audit_log (subject_user_id, seq)
        WHERE subject_user_id IS NOT NULL;
    `);
  },
};
