import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { dropSecondaryIndexes, remakeIndexes } from '../vault/secondary-indexes.js';

/** The index every content-key lookup probes (vault migration 013). */
export const CONTENT_KEY_INDEX = 'transactions_import_key';
/**
 * The indexes the ledger's lists, the duplicate review and the account checks read
 * transactions by (account, date, category) through; never needed to write a row.
 */
export const LIST_INDEXES = [
  'transactions_account_date',
  'transactions_date',
  'transactions_category',
] as const;

/**
 * The most rows a writer writes with the indexes set aside. The sort that makes one again
 * holds every key of the table in memory (temporary files stay in memory, so no index key
 * reaches the disk in the clear): about 100 bytes a row for the widest. Past this many, the
 * indexes are made again and kept up to date, so an import's memory stops growing with
 * its file there (about 40 MiB for the sort at most: the table then holds at most twice as
 * many rows).
 */
export const MAX_ROWS_SET_ASIDE = 200_000;

/**
 * Secondary indexes of `transactions` set aside while an import writes more rows than the
 * table held when it began, and made again, one sort each, before anything reads through
 * them or the import ends. Kept up to date row by row, every insert also lands in each of
 * them, the content key's (a hash) on a random page; for a statement that fills a new
 * account, one sort per index at the end costs far less (measured: about a fifth of a
 * 100k-row import). Everything happens inside the import's one transaction, so an import
 * that fails or is rolled back leaves the indexes as they were. The bank-id index is never
 * set aside: it is UNIQUE, and every chunk's bank ids are looked up through it.
 */
export class DeferredIndexes {
  readonly #db: SqliteDatabase;
  readonly #names: readonly string[];
  readonly #maxRows: number;
  /** At least as many rows as the table held when the writer began (its largest rowid). */
  readonly #rowsBefore: number;
  #setAside: string[] | null = null;
  /** Set aside once at most: a writer that had to make them again keeps them. */
  #settled = false;

  constructor(db: SqliteDatabase, names: readonly string[], maxRows = MAX_ROWS_SET_ASIDE) {
    this.#db = db;
    this.#names = names;
    this.#maxRows = maxRows;
    const largest = db.prepare('SELECT max(rowid) FROM transactions').pluck().get();
    this.#rowsBefore = typeof largest === 'number' ? largest : 0;
  }

  /**
   * Before a chunk that reads nothing through them is written: sets them aside once the
   * writer's rows, this chunk's included, reach the table's size before it began (so the
   * sort at the end never costs more than the upkeep it saves), and makes them again once
   * they pass `maxRows`.
   */
  setAside(rowsIncludingThisChunk: number): void {
    if (rowsIncludingThisChunk > this.#maxRows) {
      this.restore();
      return;
    }
    if (this.#settled || this.#setAside !== null) return;
    if (rowsIncludingThisChunk < this.#rowsBefore) return;
    this.#setAside = dropSecondaryIndexes(this.#db, ['transactions'], this.#names);
  }

  /**
   * For a transaction that is about to be rolled back (a dry run): leaves the indexes set
   * aside as they are, since the rollback puts them back as they were, and making them
   * again would sort every key for nothing. Nothing may read through them before it.
   */
  abandon(): void {
    this.#setAside = null;
    this.#settled = true;
  }

  /** Makes them again if they were set aside: before anything reads through them, and at the end. */
  restore(): void {
    if (this.#setAside === null) return;
    const indexes = this.#setAside;
    this.#setAside = null;
    this.#settled = true;
    remakeIndexes(this.#db, indexes);
  }
}
