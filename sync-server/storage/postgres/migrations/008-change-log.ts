import { randomUUID } from 'node:crypto';

import { EPOCH_ID_META } from '../../change-log.repository.js';
import type { PgMigration } from './migration.js';

/** The per-workspace change log and the server's epoch id (SQLite migration 008). */
export const migration: PgMigration = {
  version: 8,
  name: 'change-log',
  async up(client) {
    await client.query(`
      CREATE TABLE change_log (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        seq          BIGINT NOT NULL CHECK (seq >= 1),
        change_id    TEXT NOT NULL,
        collection   TEXT NOT NULL CHECK (length(collection) BETWEEN 1 AND 64),
        key_version  BIGINT NOT NULL CHECK (key_version >= 1),
        nonce        BYTEA NOT NULL CHECK (length(nonce) = 12),
        ciphertext   BYTEA NOT NULL CHECK (length(ciphertext) >= 16),
        user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
        session_id   TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        received_at  BIGINT NOT NULL,
        PRIMARY KEY (workspace_id, seq),
        UNIQUE (workspace_id, change_id)
      );
      CREATE INDEX change_log_by_session ON change_log (session_id) WHERE session_id IS NOT NULL;
      CREATE INDEX change_log_by_user ON change_log (user_id) WHERE user_id IS NOT NULL;

      CREATE TABLE change_log_heads (
        workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        last_seq     BIGINT NOT NULL CHECK (last_seq >= 1)
      );
    `);
    await client.query(
      'INSERT INTO server_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING',
      [EPOCH_ID_META, randomUUID()],
    );
  },
};
