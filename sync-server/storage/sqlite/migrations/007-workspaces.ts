import type { SqliteMigration } from './migration.js';

/**
 * Workspaces, their members, invites and security policy (issue 9).
 *
 * Nothing here is a secret or a name in the clear: `name_blob` is the name as the client
 * encrypted it (base64, bounded), `token_hash` the SHA-256 of an invite token, and
 * `email_lookup` the HMAC lookup of the invited address, as in `users`. Members go with
 * their user (ON DELETE CASCADE); an invite keeps its row when its creator or user is
 * deleted. The audit log gains an index to read one workspace's entries page by page.
 */
export const migration: SqliteMigration = {
  version: 7,
  name: 'workspaces',
  up(db) {
    db.exec(`
      CREATE TABLE workspaces (
        id               TEXT PRIMARY KEY NOT NULL,
        name_blob        TEXT NOT NULL CHECK (length(name_blob) <= 4096),
        created_at       INTEGER NOT NULL,
        require_mfa      INTEGER NOT NULL DEFAULT 0 CHECK (require_mfa IN (0, 1)),
        forbid_email_otp INTEGER NOT NULL DEFAULT 0 CHECK (forbid_email_otp IN (0, 1))
      ) STRICT;

      CREATE TABLE workspace_members (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role         TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        joined_at    INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, user_id)
      ) STRICT;
      CREATE INDEX workspace_members_by_user ON workspace_members (user_id);

      CREATE TABLE workspace_invites (
        id           TEXT PRIMARY KEY NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        token_hash   TEXT NOT NULL UNIQUE,
        email_lookup TEXT NOT NULL,
        role         TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
        created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
        created_at   INTEGER NOT NULL,
        expires_at   INTEGER NOT NULL,
        used_at      INTEGER,
        used_by      TEXT REFERENCES users(id) ON DELETE SET NULL
      ) STRICT;
      CREATE INDEX workspace_invites_by_workspace ON workspace_invites (workspace_id);

      CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, seq)
        WHERE workspace_id IS NOT NULL;
    `);
  },
};
