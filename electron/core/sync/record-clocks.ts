import { CLOCKS_COLUMN, RECORD_SPECS } from '../export/export-tables.js';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { deviceRefs, type DeviceRefs } from './device-refs.js';
import {
  decodeFieldClocks,
  encodeFieldClocks,
  encodeSingleClock,
  type FieldClocks,
} from './field-clocks.js';
import { SeenHlcs } from './seen-hlcs.js';

interface RowStatements {
  select: Database.Statement<[string], { clocks: string | null }>;
  update: Database.Statement<[string, string]>;
}

const TABLE_BY_COLLECTION = new Map<string, string>(
  RECORD_SPECS.map((spec) => [spec.collection, spec.table]),
);

/**
 * The HLC each field of each record currently holds. A change's `base` is read from here
 * before its own HLC replaces those clocks.
 *
 * Clocks live in the record's own row (`sync_clocks`, never synced or exported), so a
 * synced record costs a few bytes more than a local one, not a second row keyed by its id.
 * A record that has no row here (a change stamped before its record arrived, or a
 * collection this version does not know) keeps them in `record_clocks`, the fallback; they
 * move into the row at its next stamp. Devices are named by ref where the vault has one
 * (device-refs.ts).
 *
 * When a stamp leaves no field carrying an HLC of another device, that HLC goes to the seen
 * set (seen-hlcs.ts), so a change delivered again is still known as applied.
 */
export class RecordClocks {
  readonly #db: SqliteDatabase;
  readonly #refs: DeviceRefs;
  readonly #seen: SeenHlcs;
  readonly #rows = new Map<string, RowStatements | null>();
  readonly #fallback;
  #ownDevice: string | undefined;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#refs = deviceRefs(db);
    this.#seen = new SeenHlcs(db);
    this.#fallback = {
      insertNew: db.prepare<[string, string, string]>(
        `INSERT INTO record_clocks (collection, record_id, clocks) VALUES (?, ?, ?)
         ON CONFLICT (collection, record_id) DO NOTHING`,
      ),
      select: db
        .prepare<[string, string], string>(
          'SELECT clocks FROM record_clocks WHERE collection = ? AND record_id = ?',
        )
        .pluck(),
      update: db.prepare<[string, string, string]>(
        'UPDATE record_clocks SET clocks = ? WHERE collection = ? AND record_id = ?',
      ),
      remove: db.prepare<[string, string]>(
        'DELETE FROM record_clocks WHERE collection = ? AND record_id = ?',
      ),
    };
  }

  /**
   * Stamps `fields` of a record with `hlc` and returns the HLC each of them held before
   * (null for a field never written). For a new record, the common case in bulk writes, the
   * row's clocks are empty and one UPDATE of the row is all the writing.
   */
  stamp(
    collection: string,
    recordId: string,
    fields: readonly string[],
    hlc: string,
  ): Record<string, string | null> {
    const base: Record<string, string | null> = {};
    if (fields.length === 0) return base;
    const row = this.#rowStatements(collection);
    const stored = row?.select.get(recordId);
    if (row === null || stored === undefined) {
      return this.#stampFallback(collection, recordId, fields, hlc);
    }
    let text = stored.clocks;
    if (text === null) {
      text = this.#fallback.select.get(collection, recordId) ?? null;
      if (text === null) {
        row.update.run(encodeSingleClock(fields, hlc, this.#refs), recordId);
        for (const field of fields) base[field] = null;
        return base;
      }
      this.#fallback.remove.run(collection, recordId);
    }
    const clocks = decodeFieldClocks(text, this.#refs);
    this.#apply(clocks, fields, hlc, base);
    row.update.run(encodeFieldClocks(clocks, this.#refs), recordId);
    this.#noteDisplaced(base, clocks);
    return base;
  }

  /** field → HLC for every field of the record that was ever written. */
  read(collection: string, recordId: string): Record<string, string> {
    const stored = this.#rowStatements(collection)?.select.get(recordId);
    const text = stored?.clocks ?? this.#fallback.select.get(collection, recordId);
    return text === undefined ? {} : Object.fromEntries(decodeFieldClocks(text, this.#refs));
  }

  /**
   * The `sync_clocks` text for a record whose fields carry these HLCs, for a bulk writer
   * that puts the clocks in its INSERT instead of stamping each record after it.
   */
  encode(clocks: FieldClocks | Readonly<Record<string, string>>): string {
    const map = clocks instanceof Map ? clocks : new Map(Object.entries(clocks));
    return encodeFieldClocks(map, this.#refs);
  }

  #stampFallback(
    collection: string,
    recordId: string,
    fields: readonly string[],
    hlc: string,
  ): Record<string, string | null> {
    const base: Record<string, string | null> = {};
    const single = encodeSingleClock(fields, hlc, this.#refs);
    if (this.#fallback.insertNew.run(collection, recordId, single).changes === 1) {
      for (const field of fields) base[field] = null;
      return base;
    }
    const clocks = decodeFieldClocks(
      this.#fallback.select.get(collection, recordId) ?? '',
      this.#refs,
    );
    this.#apply(clocks, fields, hlc, base);
    this.#fallback.update.run(encodeFieldClocks(clocks, this.#refs), collection, recordId);
    this.#noteDisplaced(base, clocks);
    return base;
  }

  #apply(
    clocks: FieldClocks,
    fields: readonly string[],
    hlc: string,
    base: Record<string, string | null>,
  ): void {
    for (const field of fields) {
      base[field] = clocks.get(field) ?? null;
      clocks.set(field, hlc);
    }
  }

  /**
   * An HLC of another device that no field carries any more would leave no trace that its
   * change was applied: it joins the seen set. This device's own HLCs are known by their
   * device id.
   */
  #noteDisplaced(base: Record<string, string | null>, clocks: FieldClocks): void {
    let kept: Set<string> | undefined;
    for (const old of Object.values(base)) {
      if (old === null) continue;
      kept ??= new Set(clocks.values());
      if (kept.has(old) || old.slice(23) === this.#own()) continue;
      this.#seen.add(old);
      kept.add(old);
    }
  }

  #own(): string | undefined {
    this.#ownDevice ??= this.#db
      .prepare<[], string>("SELECT value FROM meta WHERE key = 'device_id'")
      .pluck()
      .get();
    return this.#ownDevice;
  }

  /** Null for a collection with no table, or a vault older than the in-row column. */
  #rowStatements(collection: string): RowStatements | null {
    const known = this.#rows.get(collection);
    if (known !== undefined) return known;
    const table = TABLE_BY_COLLECTION.get(collection);
    const hasColumn =
      table !== undefined &&
      this.#db
        .prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?')
        .get(table, CLOCKS_COLUMN) !== undefined;
    const statements = hasColumn
      ? {
          select: this.#db.prepare<[string], { clocks: string | null }>(
            `SELECT ${CLOCKS_COLUMN} AS clocks FROM "${table}" WHERE id = ?`,
          ),
          update: this.#db.prepare<[string, string]>(
            `UPDATE "${table}" SET ${CLOCKS_COLUMN} = ? WHERE id = ?`,
          ),
        }
      : null;
    this.#rows.set(collection, statements);
    return statements;
  }
}
