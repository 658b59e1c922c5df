import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { decodeFieldClocks, encodeFieldClocks, encodeSingleClock } from './field-clocks.js';

/**
 * The HLC each field of each record currently holds (table `record_clocks`, one row per
 * record). A change's `base` is read from here before its own HLC replaces those clocks.
 */
export class RecordClocks {
  readonly #insertNew;
  readonly #select;
  readonly #update;

  constructor(db: SqliteDatabase) {
    this.#insertNew = db.prepare<[string, string, string]>(
      `INSERT INTO record_clocks (collection, record_id, clocks) VALUES (?, ?, ?)
       ON CONFLICT (collection, record_id) DO NOTHING`,
    );
    this.#select = db
      .prepare<[string, string], string>(
        'SELECT clocks FROM record_clocks WHERE collection = ? AND record_id = ?',
      )
      .pluck();
    this.#update = db.prepare<[string, string, string]>(
      'UPDATE record_clocks SET clocks = ? WHERE collection = ? AND record_id = ?',
    );
  }

  /**
   * Stamps `fields` of a record with `hlc` and returns the HLC each of them held before
   * (null for a field never written). The insert is tried first: for a new record, the
   * common case in bulk writes, that one statement is all the work.
   */
  stamp(
    collection: string,
    recordId: string,
    fields: readonly string[],
    hlc: string,
  ): Record<string, string | null> {
    const base: Record<string, string | null> = {};
    if (fields.length === 0) return base;
    if (this.#insertNew.run(collection, recordId, encodeSingleClock(fields, hlc)).changes === 1) {
      for (const field of fields) base[field] = null;
      return base;
    }
    const clocks = decodeFieldClocks(this.#select.get(collection, recordId) ?? '{}');
    for (const field of fields) {
      base[field] = clocks.get(field) ?? null;
      clocks.set(field, hlc);
    }
    this.#update.run(encodeFieldClocks(clocks), collection, recordId);
    return base;
  }

  /** field → HLC for every field of the record that was ever written. */
  read(collection: string, recordId: string): Record<string, string> {
    const text = this.#select.get(collection, recordId);
    return text === undefined ? {} : Object.fromEntries(decodeFieldClocks(text));
  }
}
