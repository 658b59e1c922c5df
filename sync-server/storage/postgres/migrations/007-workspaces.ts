import type { PgMigration } from './migration.js';

/**
 * Workspaces, members, invites and policy (SQLite migration 007). The policy flags are
 * BOOLEAN here, where SQLite keeps 0/1.
 */
export const migration: PgMigration = {
  version: 7,
  name: 'workspaces',
  async up(client) {
    await client.query(`
      CREATE TABLE workspaces (
        id               TEXT PRIMARY KEY NOT NULL,
        name_blob        TEXT NOT NULL CHECK (length(name_blob) <= 4096),
        created_at       BIGINT NOT NULL,
        require_mfa      BOOLEAN NOT NULL DEFAULT FALSE,
        forbid_email_otp BOOLEAN NOT NULL DEFAULT FALSE
      );

      CREATE TABLE workspace_members (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role         TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        joined_at    BIGINT NOT NULL,
        PRIMARY KEY (workspace_id, user_id)
      );
      CREATE INDEX workspace_members_by_user ON workspace_members (user_id);

      CREATE TABLE workspace_invites (
        id           TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        token_hash   TEXT NOT NULL UNIQUE,
        email_lookup TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at   BIGINT NOT NULL,
        expires_at   BIGINT NOT NULL,
        used_at      BIGINT,
        used_by      TEXT REFERENCES users(id) ON DELETE SET NULL
      );
      CREATE INDEX workspace_invites_by_workspace ON workspace_invites (workspace_id);

      CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, seq)
        WHERE workspace_id IS NOT NULL;
    `);
  },
};
