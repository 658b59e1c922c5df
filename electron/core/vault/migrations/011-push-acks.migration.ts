import type { Migration } from './migration.js';

/**
 * `sync_push_acks`: per push the server acknowledged, the server's epoch, the seq range it
 * gave the batch, the id of the change at its last seq and the oldest and newest HLC the
 * batch carried. The outbox forgets a change once it
 * is acknowledged; this small log is what lets the device tell, after the server was
 * restored from a backup (a new epoch), which of its pushes the restored server still holds
 * and re-push what it lost (docs/sync-merge.md, "Re-push after a server restore"). It is
 * thinned as it grows, never unbounded; device state, neither synced nor exported.
 */
const SQL = `
CREATE TABLE sync_push_acks (
  id        INTEGER PRIMARY KEY,
  epoch     TEXT NOT NULL CHECK (length(epoch) BETWEEN 1 AND 200),
  first_seq INTEGER NOT NULL CHECK (first_seq >= 1),
  last_seq  INTEGER NOT NULL CHECK (last_seq >= first_seq),
  last_change_id TEXT NOT NULL,
  min_hlc   TEXT NOT NULL,
  max_hlc   TEXT NOT NULL CHECK (max_hlc >= min_hlc),
  acked_at  INTEGER NOT NULL,
  survived  INTEGER NOT NULL DEFAULT 0 CHECK (survived IN (0, 1))
) STRICT;
`;

export const pushAcksMigration: Migration = {
  version: 11,
  name: 'push-acks',
  up(db) {
    db.exec(SQL);
  },
};
