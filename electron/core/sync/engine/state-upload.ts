import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { parseHlc } from '../../../../shared/hlc/hlc.js';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { Collection } from '../../../../shared/sync/change.js';
import { camel, changeFields, type Fields } from '../../export/change-fields.js';
import { RECORD_SPECS, type RecordSpec } from '../../export/export-tables.js';
import { ExportRepository, type SqlRow } from '../../export/export.repository.js';
import { StatementCache } from '../../ledger/statement-cache.js';
import type { Vault } from '../../vault/vault.js';
import { deleteMeta, getMeta, setMeta } from '../../vault/vault-meta.js';
import { saveClockHighWater } from '../clock-high-water.js';
import { RecordClocks } from '../record-clocks.js';

/** Records read per chunk: one vault transaction, then a push, before the next chunk. */
export const UPLOAD_CHUNK_RECORDS = 500;

/**
 * An unfinished upload of this vault's record state, kept in meta so an interrupted sync
 * resumes where it stopped. Only fields this device stamped are sent (another device's
 * values are that device's to push, and a role may forbid pushing them):
 * - `from`: only fields stamped at or after this HLC (a re-push); null for all of them;
 * - `before`: only fields stamped before this HLC (a first upload: what was written after
 *   linking is in the outbox already); null for no bound;
 * - `table`, `rowid`: the cursor, an index into RECORD_SPECS and the last rowid done.
 */
interface UploadJob {
  from: string | null;
  before: string | null;
  table: number;
  rowid: number;
}

interface FieldRules {
  deferred: ReadonlySet<string>;
}

interface OutboxRow {
  collection: Collection;
  recordId: string;
  op: 'upsert' | 'delete';
  fields: Fields;
  /** field → the HLC it replaced, for the fields that replaced one. */
  base: Record<string, string>;
  hlc: string;
}

/**
 * Puts this vault's records into the outbox as changes, a chunk at a time
 * (docs/sync-merge.md, "First upload" and "Re-push after a server restore"): each record,
 * live or tombstoned, of every synced collection, one change per HLC its fields carry (its
 * current field clocks, so every device merges it as the write it was), with no `base`: the
 * server's log holds nothing these values replaced. A field with no clock (a record written
 * while the vault kept none) is stamped now, as a new local write. Values kept in a conflict
 * that this device wrote go too.
 */
export class StateUpload {
  readonly #vault: Vault;
  readonly #clocks: RecordClocks;
  readonly #rules = new Map<string, FieldRules>();
  readonly #statements: StatementCache;

  constructor(vault: Vault) {
    this.#vault = vault;
    this.#clocks = new RecordClocks(vault.db);
    this.#statements = new StatementCache(vault.db);
  }

  /**
   * Queues the first upload, once per vault: the records written before it was linked to
   * sync. Writes made after linking are in the outbox, and the oldest of them bounds what
   * the upload sends; a vault whose outbox is empty has none.
   */
  startFirstUpload(): void {
    const { db } = this.#vault;
    if (getMeta(db, 'sync_state_uploaded') !== null) return;
    this.#vault.transaction(() => {
      // The HLC taken at linking bounds it; a vault linked before that was kept falls back on
      // its oldest change still waiting (once its outbox has drained, nothing bounds it, and
      // what it resends changes nothing on the devices that have it).
      const oldestPending = db
        .prepare<[], string>('SELECT hlc FROM outbox ORDER BY seq LIMIT 1')
        .pluck()
        .get();
      const before = getMeta(db, 'sync_linked_hlc') ?? oldestPending ?? null;
      this.#save({ from: null, before, table: 0, rowid: 0 });
      setMeta(db, 'sync_state_uploaded', '1');
    });
  }

  /**
   * Queues a re-push of every own field stamped at or after `from`. Call inside the
   * transaction that settles the acknowledgement log. An unfinished upload is widened to
   * cover both and started again: sending a value twice is harmless, missing one is not.
   */
  startRepush(from: string): void {
    const job = this.#job();
    const wider: UploadJob =
      job === null
        ? { from, before: null, table: 0, rowid: 0 }
        : {
            from: job.from === null ? null : job.from < from ? job.from : from,
            before: null,
            table: 0,
            rowid: 0,
          };
    this.#save(wider);
  }

  pending(): boolean {
    return this.#job() !== null;
  }

  /**
   * Emits the next chunk into the outbox in one transaction and moves the cursor; returns
   * how many changes it wrote. The job is done (pending() false) once the last table is.
   */
  emitChunk(maxRecords = UPLOAD_CHUNK_RECORDS): number {
    const { db, changes } = this.#vault;
    return this.#vault.transaction(() =>
      changes.resendingState(() => {
        const job = this.#job();
        if (job === null) return 0;
        let emitted = 0;
        let budget = maxRecords;
        while (budget > 0 && job.table < RECORD_SPECS.length) {
          const spec = RECORD_SPECS[job.table]!;
          const records = db
            .prepare<[number, number], SqlRow & { _rowid: number }>(
              `SELECT rowid AS _rowid, * FROM "${spec.table}" WHERE rowid > ? ORDER BY rowid LIMIT ?`,
            )
            .all(job.rowid, budget);
          for (const record of records) {
            const { _rowid, ...row } = record;
            emitted += this.#emitRecord(spec, row, job);
            job.rowid = _rowid;
          }
          budget -= records.length;
          if (budget > 0) {
            job.table += 1;
            job.rowid = 0;
          }
        }
        const done = job.table >= RECORD_SPECS.length;
        if (done) emitted += this.#insert(this.#keptValues(job));
        // The rows just added carry older HLCs than the outbox's newest, so the outbox no
        // longer bounds the clock (clock-high-water.ts): meta takes a fresh HLC that does.
        saveClockHighWater(db, this.#vault.clock.tick());
        if (done) deleteMeta(db, 'sync_upload');
        else this.#save(job);
        return emitted;
      }),
    );
  }

  /** Emits one record's changes in order (its first change first); returns how many. */
  #emitRecord(spec: RecordSpec, row: SqlRow, job: UploadJob): number {
    const recordId = String(row.id);
    const children = new Map<string, SqlRow[]>();
    for (const child of spec.children ?? []) {
      const select = this.#statements.get<[unknown], SqlRow>(
        `SELECT * FROM "${child.table}" WHERE "${child.parentColumn}" = ?`,
      );
      children.set(child.field, select.all(row.id));
    }
    const fields = changeFields(spec, row, children);
    if (typeof row.deleted_at === 'number') fields.deletedAt = row.deleted_at;
    const clocks = this.#clocks.read(spec.collection, recordId);
    const byHlc = new Map<string, string[]>();
    let unclocked: string[] = [];
    let oldest: string | null = null;
    for (const name of Object.keys(fields)) {
      const hlc = clocks[name];
      if (hlc === undefined) {
        unclocked.push(name);
        continue;
      }
      if (oldest === null || hlc < oldest) oldest = hlc;
      const group = byHlc.get(hlc);
      if (group === undefined) byHlc.set(hlc, [name]);
      else group.push(name);
    }
    if (oldest !== null && unclocked.length > 0 && this.#wanted(oldest, job)) {
      // Columns a migration added after the record was written hold no clock. They join
      // its first change, here too, or a required one would keep that change waiting.
      this.#clocks.stamp(spec.collection, recordId, unclocked, oldest);
      byHlc.get(oldest)?.push(...unclocked);
      unclocked = [];
    }
    const out: OutboxRow[] = [];
    const later: string[] = [];
    for (const [hlc, names] of byHlc) {
      if (!this.#wanted(hlc, job)) continue;
      if (hlc === oldest) {
        // The record's first change carries every field, with its current value, so a
        // device can create the row from it alone; a later write's change names it as its
        // base and replaces what that write changed. A tombstone goes in its own change.
        const { deferred } = this.#fieldRules(spec);
        const first = [...byHlc.values()]
          .flat()
          .filter((name) => name !== 'deletedAt' || names.includes(name))
          .filter((name) => !deferred.has(name) || fields[name] === null);
        out.push(toRow(spec.collection, recordId, hlc, first, fields, null));
        later.push(...names.filter((name) => deferred.has(name) && !first.includes(name)));
      } else {
        out.push(toRow(spec.collection, recordId, hlc, names, fields, oldest));
      }
    }
    let count = this.#insert(out);
    // A reference that could close a cycle (an invoice's quote, whose quote points back at
    // it) is written again as a new local change once the record exists here.
    if (later.length > 0) {
      this.#vault.changes.record(spec.collection, recordId, 'upsert', pick(fields, later));
      count++;
    }
    if (unclocked.length > 0) count += this.#stampNow(spec.collection, recordId, unclocked, fields);
    return count;
  }

  /**
   * Per collection, `deferred`: nullable references to a collection emitted earlier
   * that itself references this one, which could otherwise leave two records each waiting
   * for the other on the receiving device.
   */
  #fieldRules(spec: RecordSpec): FieldRules {
    let rules = this.#rules.get(spec.table);
    if (rules === undefined) {
      const repo = new ExportRepository(this.#vault.db);
      const columns = repo.columns(spec.table);
      const nullable = new Set(columns.filter((c) => !c.notNull).map((c) => c.name));
      const position = (table: string): number => RECORD_SPECS.findIndex((s) => s.table === table);
      const here = position(spec.table);
      rules = {
        deferred: new Set(
          repo
            .foreignKeys(spec.table)
            .filter(
              (fk) =>
                nullable.has(fk.from) &&
                position(fk.table) >= 0 &&
                position(fk.table) < here &&
                repo.foreignKeys(fk.table).some((back) => back.table === spec.table),
            )
            .map((fk) => camel(fk.from)),
        ),
      };
      this.#rules.set(spec.table, rules);
    }
    return rules;
  }

  /** Fields never stamped: recorded now as this device's writes (ChangeRecorder puts them in the outbox). */
  #stampNow(collection: Collection, recordId: string, names: string[], fields: Fields): number {
    let count = 0;
    const values = Object.fromEntries(
      names.filter((n) => n !== 'deletedAt').map((n) => [n, fields[n]]),
    );
    if (Object.keys(values).length > 0) {
      this.#vault.changes.record(collection, recordId, 'upsert', values);
      count++;
    }
    if (names.includes('deletedAt')) {
      this.#vault.changes.record(collection, recordId, 'delete', { deletedAt: fields.deletedAt });
      count++;
    }
    return count;
  }

  /** Values this device wrote that a concurrent edit outranked: kept in sync_conflicts, sent too. */
  #keptValues(job: UploadJob): OutboxRow[] {
    const rows = this.#vault.db
      .prepare<
        [string],
        {
          collection: Collection;
          record_id: string;
          field: string;
          value_json: string;
          hlc: string;
        }
      >(
        'SELECT collection, record_id, field, value_json, hlc FROM sync_conflicts WHERE device_id = ? ORDER BY hlc',
      )
      .all(this.#vault.deviceId);
    return rows
      .filter((row) => this.#wanted(row.hlc, job))
      .map((row) => ({
        collection: row.collection,
        recordId: row.record_id,
        op: 'upsert',
        fields: { [row.field]: JSON.parse(row.value_json) as unknown },
        base: {},
        hlc: row.hlc,
      }));
  }

  #wanted(hlc: string, job: UploadJob): boolean {
    if (parseHlc(hlc).deviceId !== this.#vault.deviceId) return false;
    if (job.from !== null && hlc < job.from) return false;
    return job.before === null || hlc < job.before;
  }

  #insert(rows: readonly OutboxRow[]): number {
    const insert = this.#statements.get<
      [string, string, string, string, string, string, string, string, number]
    >(
      `INSERT INTO outbox (id, collection, record_id, op, fields_json, base_json, hlc, device_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = this.#vault.now();
    for (const row of rows) {
      insert.run(
        uuidv7(now),
        row.collection,
        row.recordId,
        row.op,
        JSON.stringify(row.fields),
        JSON.stringify(row.base),
        row.hlc,
        this.#vault.deviceId,
        now,
      );
    }
    return rows.length;
  }

  #job(): UploadJob | null {
    const text = getMeta(this.#vault.db, 'sync_upload');
    return text === null ? null : (JSON.parse(text) as UploadJob);
  }

  #save(job: UploadJob): void {
    setMeta(this.#vault.db, 'sync_upload', JSON.stringify(job));
  }
}

/**
 * A tombstone travels as a `delete`, as the services record one. `base` names, for every
 * field, the record's first change (null in that change itself).
 */
function toRow(
  collection: Collection,
  recordId: string,
  hlc: string,
  names: readonly string[],
  fields: Fields,
  base: string | null,
): OutboxRow {
  return {
    collection,
    recordId,
    op: names.includes('deletedAt') ? 'delete' : 'upsert',
    fields: pick(fields, names),
    base: base === null ? {} : Object.fromEntries(names.map((name) => [name, base])),
    hlc,
  };
}

/**
 * Joining someone else's workspace takes an empty vault (docs/sync-merge.md, "First
 * upload"): the records here would become that workspace's, readable by every member, with
 * no way to take them back. A user's own workspace (create, or a new device adopting it)
 * uploads them instead.
 */
export function assertNoRecordsToJoinWith(vault: Vault): void {
  const held = collectionsHeld(vault);
  if (held.length > 0) {
    throw new CofferError(
      'INVALID_STATE',
      `This vault already holds records (${held.join(', ')}); joining would share them with every member of that workspace. Join from a new vault (coffer init), or create a workspace of your own to sync these.`,
      { collections: held },
    );
  }
}

function pick(fields: Fields, names: readonly string[]): Fields {
  return Object.fromEntries(names.map((name) => [name, fields[name]]));
}

/** The synced collections this vault holds any record of, live or deleted. */
function collectionsHeld(vault: Vault): Collection[] {
  return RECORD_SPECS.filter(
    (spec) => vault.db.prepare(`SELECT 1 FROM "${spec.table}" LIMIT 1`).get() !== undefined,
  ).map((spec) => spec.collection);
}

/**
 * Called in the transaction that links a vault: one that holds no record yet has nothing
 * for a first upload to send, so none is queued. (Queued, it would read every record the
 * first pull brings in, a tenth of a fresh device's first sync, to find none of its own.)
 */
export function skipFirstUploadIfEmpty(vault: Vault): void {
  if (collectionsHeld(vault).length === 0) setMeta(vault.db, 'sync_state_uploaded', '1');
}
