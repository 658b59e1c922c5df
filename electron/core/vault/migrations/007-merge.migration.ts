import type { Migration } from './migration.js';

/**
 * What merging remote changes needs to remember (docs/architecture.md, Merge). None of it
 * is synced or exported: every device derives it from the changes it has applied.
 *
 * - `sync_applied`: each remote change applied, by id, with its HLC. It makes applying
 *   idempotent (a change delivered twice is recognised by its id even when it lost every
 *   field, which the record clocks alone cannot tell), and answers "has the change stamped
 *   X been applied here?" when a later change names X as the value it replaced.
 * - `sync_conflicts`: for a money-bearing field edited concurrently, each value that is not
 *   the one stored in the record (that one is the newest by HLC). A record with a row here
 *   "needs review". The id is derived from (collection, record, field, HLC), so every device
 *   names the same conflict the same way.
 * - `sync_superseded`: the HLC a change replaced (its `base`, or a value a resolution settled)
 *   when that older change has not arrived yet; when it does, it is known not to be a head.
 * - `sync_pending`: changes kept but not applied: a collection or field this version does not
 *   know (`unknown`, retried after an upgrade), or a record that needs another record that
 *   has not arrived yet (`waiting`, retried after every batch). The raw change is kept whole.
 */
const SQL = `
CREATE TABLE sync_applied (
  change_id TEXT PRIMARY KEY NOT NULL,
  hlc       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sync_applied_hlc ON sync_applied(hlc);

CREATE TABLE sync_conflicts (
  id         TEXT PRIMARY KEY NOT NULL,
  collection TEXT NOT NULL,
  record_id  TEXT NOT NULL,
  field      TEXT NOT NULL,
  value_json TEXT NOT NULL CHECK (json_valid(value_json)),
  hlc        TEXT NOT NULL,
  device_id  TEXT NOT NULL,
  UNIQUE (collection, record_id, field, hlc)
);

CREATE TABLE sync_superseded (
  collection TEXT NOT NULL,
  record_id  TEXT NOT NULL,
  field      TEXT NOT NULL,
  hlc        TEXT NOT NULL,
  PRIMARY KEY (collection, record_id, field, hlc)
) WITHOUT ROWID;

CREATE TABLE sync_pending (
  change_id   TEXT PRIMARY KEY NOT NULL,
  hlc         TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('unknown', 'waiting')),
  detail      TEXT NOT NULL DEFAULT '',
  change_json TEXT NOT NULL CHECK (json_valid(change_json)),
  received_at INTEGER NOT NULL CHECK (typeof(received_at) = 'integer')
) WITHOUT ROWID;
`;

export const mergeMigration: Migration = {
  version: 7,
  name: 'merge',
  up(db) {
    db.exec(SQL);
  },
};
