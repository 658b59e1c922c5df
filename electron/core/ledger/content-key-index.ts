import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { dropSecondaryIndexes, remakeIndexes } from '../vault/secondary-indexes.js';

/** The index every content-key lookup probes (vault migration 013). */
export const CONTENT_KEY_INDEX = 'transactions_import_key';

/**
 * The content-key index, set aside while an import that looks no key up writes more rows
 * than the table held when it began, and made again, with one sort, before anything looks
 * a key up or the import ends. Every imported row carries a content key, a hash: kept up to
 * date row by row, each insert lands on a random page of the index (measured: about a tenth
 * of a 100k-row import into a new account). Everything happens inside the import's one
 * transaction, so an import that fails or is rolled back leaves the index as it was.
 */
export class DeferredContentKeyIndex {
  readonly #db: SqliteDatabase;
  /** At least as many rows as the table held when the writer began (its largest rowid). */
  readonly #rowsBefore: number;
  #setAside: string[] | null = null;
  /** Set aside once at most: a writer that had to make it again keeps it. */
  #settled = false;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    const largest = db.prepare('SELECT max(rowid) FROM transactions').pluck().get();
    this.#rowsBefore = typeof largest === 'number' ? largest : 0;
  }

  /**
   * Before a chunk whose rows need no key looked up: sets the index aside once the writer's
   * rows, this chunk's included, reach the table's size before it began (so the sort at the
   * end never costs more than the rows it saves work on).
   */
  beforeUnlookedWrite(rowsIncludingThisChunk: number): void {
    if (this.#settled || this.#setAside !== null) return;
    if (rowsIncludingThisChunk < this.#rowsBefore) return;
    this.#setAside = dropSecondaryIndexes(this.#db, ['transactions'], [CONTENT_KEY_INDEX]);
  }

  /** Makes the index again if it was set aside: before a key is looked up, and at the end. */
  restore(): void {
    if (this.#setAside === null) return;
    const indexes = this.#setAside;
    this.#setAside = null;
    this.#settled = true;
    remakeIndexes(this.#db, indexes);
  }
}
