import type { Migration } from './migration.js';

/**
 * Engine tables every vault has: vault identity and key age (meta), per-field HLCs
 * (record_clocks), the change outbox that sync drains, and attachment blobs, which live
 * inside the encrypted database so no user file ever sits on disk in plaintext.
 */
export const coreMigration: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE record_clocks (
        collection TEXT NOT NULL,
        record_id  TEXT NOT NULL,
        field      TEXT NOT NULL,
        hlc        TEXT NOT NULL,
        PRIMARY KEY (collection, record_id, field)
      ) WITHOUT ROWID;

      CREATE TABLE outbox (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        id          TEXT NOT NULL UNIQUE,
        collection  TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        op          TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
        fields_json TEXT NOT NULL,
        base_json   TEXT NOT NULL,
        hlc         TEXT NOT NULL,
        device_id   TEXT NOT NULL,
        created_at  INTEGER NOT NULL
      );

      CREATE TABLE attachments (
        id         TEXT PRIMARY KEY NOT NULL,
        file_name  TEXT NOT NULL,
        mime_type  TEXT NOT NULL,
        size       INTEGER NOT NULL CHECK (size >= 0),
        sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
        content    BLOB,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE INDEX attachments_sha256 ON attachments (sha256);
    `);
  },
};
