import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { tableExists } from '../vault/table-exists.js';
import { compactHlc } from './field-clocks.js';

interface Statements {
  has: ReturnType<SqliteDatabase['prepare']>;
  add: ReturnType<SqliteDatabase['prepare']>;
}

/**
 * HLCs of changes this vault has applied that no field clock shows any more
 * (`sync_seen_hlcs`, migration 012), in compact form with the full device id (the set must
 * read the same before and after a device gets a ref). A change is "seen" when its HLC
 * still stamps a field of its record or is listed here; see docs/sync-merge.md.
 */
export class SeenHlcs {
  readonly #db: SqliteDatabase;
  #q: Statements | null = null;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** Null on a vault older than migration 012. */
  #statements(): Statements | null {
    if (this.#q !== null) return this.#q;
    if (!tableExists(this.#db, 'sync_seen_hlcs')) return null;
    this.#q = {
      has: this.#db.prepare('SELECT 1 FROM sync_seen_hlcs WHERE hlc = ?'),
      add: this.#db.prepare('INSERT INTO sync_seen_hlcs (hlc) VALUES (?) ON CONFLICT DO NOTHING'),
    };
    return this.#q;
  }

  has(hlc: string): boolean {
    return this.#statements()?.has.get(compactHlc(hlc)) !== undefined;
  }

  add(hlc: string): void {
    this.#statements()?.add.run(compactHlc(hlc));
  }
}
