import type { PgMigration } from './migration.js';

/** New devices' requests for the user key (SQLite migration 011). */
export const migration: PgMigration = {
  version: 11,
  name: 'device-approvals',
  async up(client) {
    await client.query(`
      CREATE TABLE device_approvals (
        id                  TEXT PRIMARY KEY NOT NULL CHECK (length(id) = 36),
        user_id             TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        session_id          TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        device_public_key   BYTEA NOT NULL CHECK (length(device_public_key) = 32),
        created_at          BIGINT NOT NULL,
        expires_at          BIGINT NOT NULL CHECK (expires_at > created_at),
        state               TEXT NOT NULL DEFAULT 'pending'
                            CHECK (state IN ('pending', 'approved', 'denied')),
        decided_at          BIGINT,
        decided_by_session  TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        user_key_version    BIGINT CHECK (user_key_version >= 1),
        sealed_user_key     BYTEA CHECK (length(sealed_user_key) BETWEEN 1 AND 1024),
        CHECK ((state = 'pending') = (decided_at IS NULL)),
        CHECK ((state = 'approved') = (sealed_user_key IS NOT NULL)),
        CHECK ((sealed_user_key IS NULL) = (user_key_version IS NULL))
      );
      CREATE INDEX device_approvals_by_user ON device_approvals (user_id, created_at);
      CREATE INDEX device_approvals_by_session ON device_approvals (session_id);
      CREATE INDEX device_approvals_by_decider ON device_approvals (decided_by_session)
        WHERE decided_by_session IS NOT NULL;
    `);
  },
};
