import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '../../vault/sqlcipher.js';
import { SeenHlcs } from '../seen-hlcs.js';

export interface ConflictRow {
  id: string;
  collection: string;
  record_id: string;
  field: string;
  value_json: string;
  hlc: string;
  device_id: string;
}

export interface PendingRow {
  change_id: string;
  hlc: string;
  reason: 'unknown' | 'waiting';
  detail: string;
  change_json: string;
  received_at: number;
}

/** The same id on every device for the same kept value (collection, record, field, HLC). */
export function conflictId(
  collection: string,
  recordId: string,
  field: string,
  hlc: string,
): string {
  return createHash('sha256')
    .update(`${collection}\n${recordId}\n${field}\n${hlc}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * The merge's own tables (migrations 007 and 012): HLCs seen that no clock shows, kept
 * values, superseded HLCs, pending changes.
 */
export class MergeStateRepository {
  readonly #db: SqliteDatabase;
  readonly #seen: SeenHlcs;
  readonly #q;

  constructor(db: SqliteDatabase) {
    this.#db = db;
    this.#seen = new SeenHlcs(db);
    this.#q = {
      insertConflict: db.prepare<[string, string, string, string, string, string, string]>(
        `INSERT INTO sync_conflicts (id, collection, record_id, field, value_json, hlc, device_id)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      deleteConflict: db.prepare<[string]>('DELETE FROM sync_conflicts WHERE id = ?'),
      conflict: db.prepare<[string], ConflictRow>('SELECT * FROM sync_conflicts WHERE id = ?'),
      conflicts: db.prepare<[], ConflictRow>(
        'SELECT * FROM sync_conflicts ORDER BY collection, record_id, field, hlc',
      ),
      superseded: db.prepare<[string, string, string, string]>(
        'SELECT 1 FROM sync_superseded WHERE collection = ? AND record_id = ? AND field = ? AND hlc = ?',
      ),
      addSuperseded: db.prepare<[string, string, string, string]>(
        `INSERT INTO sync_superseded (collection, record_id, field, hlc) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      removeSuperseded: db.prepare<[string, string, string, string]>(
        'DELETE FROM sync_superseded WHERE collection = ? AND record_id = ? AND field = ? AND hlc = ?',
      ),
      pending: db.prepare<[string]>('SELECT 1 FROM sync_pending WHERE change_id = ?'),
      putPending: db.prepare<[string, string, string, string, string, number]>(
        `INSERT INTO sync_pending (change_id, hlc, reason, detail, change_json, received_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (change_id) DO UPDATE SET reason = excluded.reason, detail = excluded.detail`,
      ),
      removePending: db.prepare<[string]>('DELETE FROM sync_pending WHERE change_id = ?'),
      listPending: db.prepare<[], PendingRow>('SELECT * FROM sync_pending ORDER BY hlc, change_id'),
      listWaiting: db.prepare<[], PendingRow>(
        `SELECT * FROM sync_pending WHERE reason = 'waiting' ORDER BY hlc, change_id`,
      ),
    };
  }

  /**
   * Within one apply transaction, remembers whether the superseded and pending tables are
   * empty, as they nearly always are: a new record's money fields then cost no lookups.
   * Only the applier writes these tables while it holds the write lock; `endBatch` forgets.
   */
  beginBatch(): void {
    this.#batch = { supersededEmpty: null, pendingEmpty: null };
  }

  endBatch(): void {
    this.#batch = null;
  }

  #batch: { supersededEmpty: boolean | null; pendingEmpty: boolean | null } | null = null;

  #isEmpty(table: 'sync_superseded' | 'sync_pending'): boolean {
    const batch = this.#batch;
    if (batch === null) return false;
    const key = table === 'sync_superseded' ? 'supersededEmpty' : 'pendingEmpty';
    batch[key] ??= this.#db.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() === undefined;
    return batch[key];
  }

  #filled(table: 'sync_superseded' | 'sync_pending'): void {
    if (this.#batch === null) return;
    if (table === 'sync_superseded') this.#batch.supersededEmpty = false;
    else this.#batch.pendingEmpty = false;
  }

  /** Whether `hlc` is in the seen set: applied, though no field clock carries it. */
  isSeenHlc(hlc: string): boolean {
    return this.#seen.has(hlc);
  }

  /** Remembers an applied change that stamped no field (it lost every one, or was only kept). */
  markSeen(hlc: string): void {
    this.#seen.add(hlc);
  }

  /** Keeps a value that is not the record's; returns the conflict id, or null if already kept. */
  keep(
    collection: string,
    recordId: string,
    field: string,
    hlc: string,
    value: unknown,
    deviceId: string,
  ): string | null {
    const id = conflictId(collection, recordId, field, hlc);
    const json = JSON.stringify(value === undefined ? null : value);
    const run = this.#q.insertConflict.run(id, collection, recordId, field, json, hlc, deviceId);
    return run.changes === 1 ? id : null;
  }

  hasConflict(id: string): boolean {
    return this.#q.conflict.get(id) !== undefined;
  }

  /** Drops the kept value stamped `hlc`, if there is one; true when there was. */
  settle(collection: string, recordId: string, field: string, hlc: string): boolean {
    return this.#q.deleteConflict.run(conflictId(collection, recordId, field, hlc)).changes === 1;
  }

  conflict(id: string): ConflictRow | undefined {
    return this.#q.conflict.get(id);
  }

  conflicts(): ConflictRow[] {
    return this.#q.conflicts.all();
  }

  /** True (and forgets the mark) when a change already applied named `hlc` as replaced. */
  takeSuperseded(collection: string, recordId: string, field: string, hlc: string): boolean {
    return this.#q.removeSuperseded.run(collection, recordId, field, hlc).changes === 1;
  }

  isSuperseded(collection: string, recordId: string, field: string, hlc: string): boolean {
    if (this.#isEmpty('sync_superseded')) return false;
    return this.#q.superseded.get(collection, recordId, field, hlc) !== undefined;
  }

  markSuperseded(collection: string, recordId: string, field: string, hlc: string): void {
    this.#q.addSuperseded.run(collection, recordId, field, hlc);
    this.#filled('sync_superseded');
  }

  isPending(changeId: string): boolean {
    if (this.#isEmpty('sync_pending')) return false;
    return this.#q.pending.get(changeId) !== undefined;
  }

  putPending(
    changeId: string,
    hlc: string,
    reason: PendingRow['reason'],
    detail: string,
    changeJson: string,
    receivedAt: number,
  ): void {
    this.#q.putPending.run(changeId, hlc, reason, detail.slice(0, 500), changeJson, receivedAt);
    this.#filled('sync_pending');
  }

  removePending(changeId: string): void {
    this.#q.removePending.run(changeId);
  }

  pending(): PendingRow[] {
    return this.#q.listPending.all();
  }

  waiting(): PendingRow[] {
    return this.#q.listWaiting.all();
  }

  get db(): SqliteDatabase {
    return this.#db;
  }
}
