import type { PgMigration } from './migration.js';

/**
 * Workspace snapshots, device pull cursors and the change log's pruned mark (SQLite
 * migration 013).
 */
export const migration: PgMigration = {
  version: 13,
  name: 'snapshots',
  async up(client) {
    await client.query(`
      CREATE TABLE snapshots (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id           TEXT NOT NULL CHECK (length(id) = 36),
        seq          BIGINT NOT NULL CHECK (seq >= 0),
        key_version  BIGINT NOT NULL CHECK (key_version >= 1),
        chunk_count  BIGINT NOT NULL CHECK (chunk_count BETWEEN 1 AND 4096),
        byte_length  BIGINT NOT NULL CHECK (byte_length >= 1),
        created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
        started_at   BIGINT NOT NULL,
        completed_at BIGINT,
        PRIMARY KEY (workspace_id, id)
      );
      CREATE INDEX snapshots_complete ON snapshots (workspace_id, seq, completed_at)
        WHERE completed_at IS NOT NULL;
      CREATE INDEX snapshots_unfinished ON snapshots (started_at) WHERE completed_at IS NULL;

      CREATE TABLE snapshot_chunks (
        workspace_id TEXT NOT NULL,
        snapshot_id  TEXT NOT NULL,
        chunk_index  BIGINT NOT NULL CHECK (chunk_index BETWEEN 0 AND 4095),
        bytes        BYTEA NOT NULL CHECK (length(bytes) BETWEEN 1 AND 1048576),
        PRIMARY KEY (workspace_id, snapshot_id, chunk_index),
        FOREIGN KEY (workspace_id, snapshot_id) REFERENCES snapshots (workspace_id, id)
          ON DELETE CASCADE
      );

      CREATE TABLE pull_cursors (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        session_id   TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        after_seq    BIGINT NOT NULL CHECK (after_seq >= 0),
        pulled_at    BIGINT NOT NULL,
        PRIMARY KEY (workspace_id, session_id)
      );
      CREATE INDEX pull_cursors_by_session ON pull_cursors (session_id);

      CREATE TABLE change_log_pruned (
        workspace_id   TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        pruned_through BIGINT NOT NULL CHECK (pruned_through >= 1),
        pruned_at      BIGINT NOT NULL
      );
    `);
  },
};
