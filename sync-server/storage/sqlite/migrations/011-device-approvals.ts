import type { SqliteMigration } from './migration.js';

/**
 * Device approval (issue 9, keys; docs/sync-keys.md): a new device, signed in but without the
 * user key, asks for it; another device of the same user seals the user key to the new
 * device's public key, or denies.
 *
 * - A request is bound to its user and to the session that made it: the sealed box is handed
 *   to that session only, and goes with it when the session row is pruned.
 * - `state` moves once, from `pending` to `approved` or `denied`: a request is decided once.
 * - `expires_at` is 15 minutes after `created_at`; past it nothing is decided.
 * - The box is there exactly when the request was approved (CHECK), with the user key
 *   version it was sealed under.
 *
 * The id is the new device's (a random UUID): the short code both devices show is derived
 * from it, so it must exist before anyone can work on a matching key.
 */
export const migration: SqliteMigration = {
  version: 11,
  name: 'device-approvals',
  up(db) {
    db.exec(`
      CREATE TABLE device_approvals (
        id                  TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        session_id          TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        device_public_key   BLOB NOT NULL CHECK (length(device_public_key) = 32),
        created_at          INTEGER NOT NULL,
        expires_at          INTEGER NOT NULL CHECK (expires_at > created_at),
        state               TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'approved', 'denied')),
        decided_at          INTEGER,
        decided_by_session  TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        user_key_version    INTEGER CHECK (user_key_version >= 1),
        sealed_user_key     BLOB CHECK (length(sealed_user_key) BETWEEN 1 AND 1024),
        CHECK ((state = 'pending') = (decided_at IS NULL)),
        CHECK ((state = 'approved') = (sealed_user_key IS NOT NULL)),
        CHECK ((sealed_user_key IS NULL) = (user_key_version IS NULL))
      ) STRICT;
      CREATE INDEX device_approvals_by_user ON device_approvals (user_id, created_at);
      CREATE INDEX device_approvals_by_session ON device_approvals (session_id);
      CREATE INDEX device_approvals_by_decider ON device_approvals (decided_by_session)
        WHERE decided_by_session IS NOT NULL;
    `);
  },
};
