import type { Migration } from './migration.js';

/**
 * Engine tables every vault has: vault identity and key age (meta), the HLC each field of
 * each record last took (record_clocks), the change outbox that sync drains, and attachment
 * blobs, which live inside the encrypted database so no user file ever sits on disk in
 * plaintext.
 *
 * record_clocks holds one row per record, not per field: a bulk import writes one small row
 * per record instead of a dozen rows that each repeat the record id and a 60-character
 * HLC. `clocks` maps each HLC to the space-separated fields that still hold the value it
 * stamped (`{"<hlc>":"name notes"}`, see sync/field-clocks.ts); field names are
 * letters, digits and "_" only (FieldNameSchema), so a space never occurs inside one.
 *
 * outbox.base_json keeps only the fields that replaced a clocked value: a field of
 * fields_json missing from it replaced nothing (base null). A new record's base, all null,
 * is then `{}` instead of every field name again.
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
        clocks     TEXT NOT NULL,
        PRIMARY KEY (collection, record_id)
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
