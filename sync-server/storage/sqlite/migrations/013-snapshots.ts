import type { SqliteMigration } from './migration.js';

/**
 * Workspace snapshots and pruning of the change log (docs/sync-merge.md, "Snapshots and
 * bootstrap").
 *
 * A snapshot is ciphertext a client wrote (shared/sync/snapshot.ts): its manifest, who
 * started it and when, when it completed (NULL while chunks are still coming), and its
 * chunks as bytes. Ids are per workspace, so one workspace's ids tell nothing about
 * another's. `pull_cursors` keeps, per session and workspace, the `after` of the newest
 * pull and when: the server prunes the log only below what every active device has pulled.
 * `change_log_pruned` records through which seq a workspace's log was pruned, so a pull
 * from below it is told so instead of silently missing changes. Everything goes with its
 * workspace; a cursor goes with its session; a snapshot outlives the user who wrote it.
 */
export const migration: SqliteMigration = {
  version: 13,
  name: 'snapshots',
  up(db) {
    db.exec(`
      CREATE TABLE snapshots (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        id           TEXT NOT NULL CHECK (length(id) = 36),
        seq          INTEGER NOT NULL CHECK (seq >= 0),
        key_version  INTEGER NOT NULL CHECK (key_version >= 1),
        chunk_count  INTEGER NOT NULL CHECK (chunk_count BETWEEN 1 AND 4096),
        byte_length  INTEGER NOT NULL CHECK (byte_length >= 1),
        created_by   TEXT REFERENCES users(id) ON DELETE SET NULL,
        started_at   INTEGER NOT NULL,
        completed_at INTEGER,
        PRIMARY KEY (workspace_id, id)
      ) STRICT;
      CREATE INDEX snapshots_complete ON snapshots (workspace_id, seq, completed_at)
        WHERE completed_at IS NOT NULL;
      CREATE INDEX snapshots_unfinished ON snapshots (started_at) WHERE completed_at IS NULL;

      CREATE TABLE snapshot_chunks (
        workspace_id TEXT NOT NULL,
        snapshot_id  TEXT NOT NULL,
        chunk_index  INTEGER NOT NULL CHECK (chunk_index BETWEEN 0 AND 4095),
        bytes        BLOB NOT NULL CHECK (length(bytes) BETWEEN 1 AND 1048576),
        PRIMARY KEY (workspace_id, snapshot_id, chunk_index),
        FOREIGN KEY (workspace_id, snapshot_id) REFERENCES snapshots (workspace_id, id)
          ON DELETE CASCADE
      ) STRICT;

      CREATE TABLE pull_cursors (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        session_id   TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        after_seq    INTEGER NOT NULL CHECK (after_seq >= 0),
        pulled_at    INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, session_id)
      ) STRICT;
      CREATE INDEX pull_cursors_by_session ON pull_cursors (session_id);

      CREATE TABLE change_log_pruned (
        workspace_id   TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        pruned_through INTEGER NOT NULL CHECK (pruned_through >= 1),
        pruned_at      INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
