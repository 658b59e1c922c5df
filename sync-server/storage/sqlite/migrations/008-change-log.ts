import { randomUUID } from 'node:crypto';

import { EPOCH_ID_META } from '../../change-log.repository.js';
import type { SqliteMigration } from './migration.js';

/**
 * The per-workspace change log (issue 9, protocol) and the server's epoch id.
 *
 * The server stores ciphertext only: the clear labels a change travels with (its id for
 * idempotency, its collection for the role check, the key version that opens it) and the
 * AES-256-GCM nonce and ciphertext as bytes. `seq` counts per workspace from 1 and never
 * goes back: `change_log_heads` keeps the last one handed out, so a later pruning of old
 * rows cannot make a seq be used twice. Who pushed (user and session) goes with them when
 * they are deleted (SET NULL); a workspace takes its log with it.
 *
 * The epoch id is random and made once with the database (here, for a database made before
 * this version too). The restore command (later) gives a restored database a new one, so
 * clients can tell that their server lost changes and push them again.
 */
export const migration: SqliteMigration = {
  version: 8,
  name: 'change-log',
  up(db) {
    db.exec(`
      CREATE TABLE change_log (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL CHECK (seq >= 1),
        change_id    TEXT NOT NULL,
        collection   TEXT NOT NULL CHECK (length(collection) BETWEEN 1 AND 64),
        key_version  INTEGER NOT NULL CHECK (key_version >= 1),
        nonce        BLOB NOT NULL CHECK (length(nonce) = 12),
        ciphertext   BLOB NOT NULL CHECK (length(ciphertext) >= 16),
        user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
        session_id   TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        received_at  INTEGER NOT NULL,
        PRIMARY KEY (workspace_id, seq),
        UNIQUE (workspace_id, change_id)
      ) STRICT;
      CREATE INDEX change_log_by_session ON change_log (session_id) WHERE session_id IS NOT NULL;
      CREATE INDEX change_log_by_user ON change_log (user_id) WHERE user_id IS NOT NULL;

      CREATE TABLE change_log_heads (
        workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        last_seq     INTEGER NOT NULL CHECK (last_seq >= 1)
      ) STRICT;
    `);
    db.prepare('INSERT OR IGNORE INTO server_meta (key, value) VALUES (?, ?)').run(
      EPOCH_ID_META,
      randomUUID(),
    );
  },
};
