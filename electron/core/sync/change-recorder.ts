import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { HlcClock } from '../../../shared/hlc/hlc.js';
import { uuidv7 } from '../../../shared/ids/uuidv7.js';
import { CollectionSchema, type Change, type Collection } from '../../../shared/sync/change.js';
import {
  canPush,
  isWorkspaceRole,
  type WorkspaceRole,
} from '../../../shared/sync/workspace-roles.js';
import type { SqliteDatabase } from '../vault/sqlcipher.js';
import { getMeta, setMeta } from '../vault/vault-meta.js';
import {
  clockLease,
  newestHlc,
  readClockHighWater,
  saveClockHighWater,
} from './clock-high-water.js';
import { assertFieldNames } from './field-clocks.js';
import { RecordClocks } from './record-clocks.js';

/** The collections a change may name, as a set: checked on every write of a bulk insert. */
const COLLECTIONS: ReadonlySet<string> = new Set(CollectionSchema.options);

export interface ChangeRecorderContext {
  db: SqliteDatabase;
  clock: HlcClock;
  deviceId: string;
  now(): number;
}

/** A change waiting in the outbox, in the order it was written. */
export interface OutboxEntry {
  seq: number;
  createdAt: number;
  change: Change;
}

interface OutboxRow {
  seq: number;
  id: string;
  collection: string;
  record_id: string;
  op: string;
  fields_json: string;
  base_json: string;
  hlc: string;
  device_id: string;
  created_at: number;
}

interface LocalState {
  outbox: string | null;
  highWater: string | null;
}

/**
 * Turns every local write into a sync change (docs/architecture.md, The vault): stamps it with a new HLC,
 * remembers per field which HLC it replaced (`base`, what merge uses to tell a concurrent
 * edit from a sequential one), and — once the vault is linked to sync (`enableOutbox`) —
 * appends it to the outbox. It must run inside the same `vault.transaction` as the row
 * write, so the row and its change commit or vanish together.
 *
 * A local-only vault keeps no outbox and no field clocks: nothing would ever drain the
 * one, nothing merges against the other, and together they were most of the file. A vault
 * that starts syncing later uploads its whole state, each record stamped then, instead of
 * replaying a history it never kept (docs/architecture.md, Storage).
 */
export class ChangeRecorder {
  readonly #ctx: ChangeRecorderContext;
  readonly #clocks: RecordClocks;
  readonly #insertOutbox;
  readonly #selectPending;
  readonly #selectLocalState;
  readonly #selectRole;
  /**
   * True once the outbox is known to be on in committed state. Only then is meta not read
   * on every write: a flag set inside a transaction that later rolls back must not stick.
   */
  #outboxCommitted: boolean;
  /** The newest HLC this recorder stamped, saved as the clock high-water mark on acknowledge. */
  #lastHlc: string | null = null;
  /**
   * The outbox switch and clock lease as read inside the vault transaction now open, so a
   * bulk write reads meta once instead of once per change. Only a vault-managed transaction
   * (see `transactionScope`) keeps it: nothing else writes meta while it holds the write
   * lock, and any scope's end, a savepoint's included, drops it.
   */
  #scopeState: LocalState | null = null;
  /** The workspace role as read in the scope now open; undefined: not read yet. */
  #scopeRole: WorkspaceRole | null | undefined = undefined;
  #scopeDepth = 0;
  /** Inside `resendingState`: what is recorded re-sends state, not a new edit. */
  #resending = 0;
  /** An outbox row was written since the last commit was announced (see `committed`). */
  #outboxWritten = false;
  readonly #commitListeners = new Set<() => void>();

  constructor(ctx: ChangeRecorderContext) {
    this.#ctx = ctx;
    const { db } = ctx;
    this.#clocks = new RecordClocks(db);
    this.#insertOutbox = db.prepare<
      [string, string, string, string, string, string, string, string, number]
    >(
      `INSERT INTO outbox (id, collection, record_id, op, fields_json, base_json, hlc, device_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#selectPending = db.prepare<[number, number], OutboxRow>(
      'SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.#selectLocalState = db.prepare<[], LocalState>(
      `SELECT (SELECT value FROM meta WHERE key = '${OUTBOX_META_KEY}') AS outbox,
              (SELECT value FROM meta WHERE key = 'clock_high_water') AS highWater`,
    );
    this.#selectRole = db
      .prepare<[], unknown>('SELECT role FROM sync_workspace WHERE singleton = 1')
      .pluck();
    this.#outboxCommitted = !db.inTransaction && getMeta(db, OUTBOX_META_KEY) === OUTBOX_ON;
  }

  /**
   * Runs `fn` as (part of) a vault transaction, letting writes inside it share one read of
   * the outbox switch and the clock lease. The vault's transaction wrappers call it.
   */
  transactionScope<T>(fn: () => T): T {
    this.#scopeDepth += 1;
    this.#scopeState = null;
    this.#scopeRole = undefined;
    try {
      return fn();
    } finally {
      this.#scopeDepth -= 1;
      this.#scopeState = null;
      this.#scopeRole = undefined;
    }
  }

  /**
   * Runs `fn`, whose recorded changes re-send what this vault already holds (a first upload,
   * a re-push after a server restore), not new edits: they are not refused for the role
   * (a device demoted since keeps them in its outbox, unsent, as it keeps its own earlier
   * edits, until a role that may send them).
   */
  resendingState<T>(fn: () => T): T {
    this.#resending += 1;
    try {
      return fn();
    } finally {
      this.#resending -= 1;
    }
  }

  /** Whether writes are appended to the outbox (the vault is linked to sync). */
  outboxEnabled(): boolean {
    if (this.#outboxCommitted) return true;
    const on = getMeta(this.#ctx.db, OUTBOX_META_KEY) === OUTBOX_ON;
    if (on && !this.#ctx.db.inTransaction) this.#outboxCommitted = true;
    return on;
  }

  /**
   * Records every write from now on in the outbox; called when the vault is linked to sync.
   * Idempotent. What was written before is not replayed: the first sync uploads each record's
   * current state instead (engine/state-upload.ts).
   */
  enableOutbox(): void {
    const { db } = this.#ctx;
    const nested = db.inTransaction;
    db.transaction(() => {
      if (getMeta(db, OUTBOX_META_KEY) === OUTBOX_ON) return;
      setMeta(db, OUTBOX_META_KEY, OUTBOX_ON);
      setMeta(db, 'sync_linked_hlc', this.#ctx.clock.tick());
    }).immediate();
    this.#scopeState = null;
    // Inside a caller's transaction the flag is not committed yet: keep reading meta.
    if (!nested) this.#outboxCommitted = true;
  }

  record(
    collection: Collection,
    recordId: string,
    op: 'upsert' | 'delete',
    fields: Record<string, unknown>,
  ): Change {
    return this.#record(collection, recordId, op, fields, true) as Change;
  }

  /**
   * `record` for a caller that does not need the change back (a bulk write): a local-only
   * vault then makes no change at all, no id, no copy of the values, since nothing would
   * keep it (measured: about a tenth of inserting 100k transactions). The fields are asked
   * for only when the change is kept, so such a vault does not build them either.
   */
  track(
    collection: Collection,
    recordId: string,
    op: 'upsert' | 'delete',
    fields: () => Record<string, unknown>,
  ): void {
    this.#record(collection, recordId, op, fields, false);
  }

  #record(
    collection: Collection,
    recordId: string,
    op: 'upsert' | 'delete',
    fieldsOrLater: Record<string, unknown> | (() => Record<string, unknown>),
    wanted: boolean,
  ): Change | null {
    const { db, clock, deviceId } = this.#ctx;
    if (!db.inTransaction) {
      throw new CofferError(
        'INTERNAL',
        'ChangeRecorder.record() must run inside vault.transaction() with the write it records.',
      );
    }
    if (!COLLECTIONS.has(collection)) {
      throw new CofferError('INTERNAL', `Unknown sync collection "${String(collection)}".`);
    }
    if (op !== 'upsert' && op !== 'delete') {
      throw new CofferError('INTERNAL', `Unknown change op "${String(op)}".`);
    }
    if (typeof recordId !== 'string' || recordId.length === 0) {
      throw new CofferError('INTERNAL', 'A change needs a record id.');
    }
    const hlc = clock.tick();
    const syncing = this.#outboxCommitted || this.#outboxOnOrLease(hlc);
    if (!syncing && !wanted) {
      this.#lastHlc = hlc;
      return null;
    }
    // A change this device's role may not push would only wait in the outbox, refused by
    // the server, while the vault showed it as made: refused here, with the write.
    if (syncing && this.#resending === 0) this.#assertMayChange(collection);
    const fields = typeof fieldsOrLater === 'function' ? fieldsOrLater() : fieldsOrLater;
    const names = Object.keys(fields);
    assertFieldNames(names);
    // A local-only vault keeps no field clocks either: no other device holds its records,
    // so there is nothing to merge against. Linking it stamps every record once
    // (docs/architecture.md, Storage).
    const base = syncing
      ? this.#clocks.stamp(collection, recordId, names, hlc)
      : unclockedBase(names);
    const values = withNullForUndefined(fields, names);
    const createdAt = this.#ctx.now();
    const change: Change = {
      id: uuidv7(createdAt),
      collection,
      recordId,
      op,
      fields: values,
      base,
      hlc,
      deviceId,
    };
    if (!syncing) {
      this.#lastHlc = hlc;
      return change;
    }
    this.#insertOutbox.run(
      change.id,
      collection,
      recordId,
      op,
      JSON.stringify(values),
      encodeBase(base),
      hlc,
      deviceId,
      createdAt,
    );
    this.#lastHlc = hlc;
    this.#outboxWritten = true;
    return change;
  }

  /**
   * Refuses a change to `collection` that the role this vault holds in its workspace may not
   * push (the matrix in shared/sync/workspace-roles.ts, the same the server enforces). The
   * role is the one the server last gave (at join, in each pull, in the member list); a
   * vault in no workspace yet changes anything.
   */
  #assertMayChange(collection: Collection): void {
    let role = this.#scopeRole;
    if (role === undefined) {
      const stored = this.#selectRole.get();
      role = isWorkspaceRole(stored) ? stored : null;
      if (this.#scopeDepth > 0) this.#scopeRole = role;
    }
    if (role === null || canPush(role, collection)) return;
    const what = collection.replaceAll('_', ' ');
    throw new CofferError(
      'ROLE_FORBIDDEN',
      role === 'viewer'
        ? `You are a viewer in this workspace: you can read its ${what} but not change them. An admin can make you a member.`
        : `Only the workspace's admins change its ${what}; your role is ${role}.`,
      { role, collection },
    );
  }

  /**
   * Calls `listener` after each write transaction that committed outbox changes (the sync
   * loop pushes soon after). Called synchronously after the commit, so it must only schedule
   * work. Returns the call that stops listening.
   */
  onCommitted(listener: () => void): () => void {
    this.#commitListeners.add(listener);
    return () => this.#commitListeners.delete(listener);
  }

  /**
   * The vault calls this when its outermost write transaction has committed. A rolled-back
   * write leaves the flag set, so the next commit also announces: one round too many at
   * worst, never a change left unannounced.
   */
  committed(): void {
    if (!this.#outboxWritten) return;
    this.#outboxWritten = false;
    for (const listener of [...this.#commitListeners]) {
      try {
        listener();
      } catch {
        // The write has committed: a listener's failure is not the writer's.
      }
    }
  }

  /**
   * Whether the outbox is on, read inside the write's transaction. When it is off, no
   * outbox row bounds the HLC just stamped, so the clock high-water mark in meta must: it
   * is raised to a lease a second ahead, one meta write per second of writing instead of
   * one per change, and the clock resumes from it after a restart (clock-high-water.ts).
   */
  #outboxOnOrLease(hlc: string): boolean {
    let state = this.#scopeState;
    if (state === null) {
      state = this.#selectLocalState.get() ?? { outbox: null, highWater: null };
      if (this.#scopeDepth > 0) this.#scopeState = state;
    }
    if (state.outbox === OUTBOX_ON) return true;
    if (state.highWater === null || hlc > state.highWater) {
      const lease = clockLease(hlc);
      saveClockHighWater(this.#ctx.db, lease);
      state.highWater = lease;
    }
    return false;
  }

  /** The oldest `limit` changes not yet acknowledged, optionally after a given outbox seq. */
  pending(limit = 100, afterSeq = 0): OutboxEntry[] {
    return this.#selectPending.all(afterSeq, Math.max(0, Math.floor(limit))).map(toEntry);
  }

  pendingCount(): number {
    return Number(this.#ctx.db.prepare('SELECT count(*) FROM outbox').pluck().get());
  }

  /**
   * Removes changes the server has accepted; returns how many were removed. The clock
   * high-water mark is saved in the same transaction: once a change leaves the outbox,
   * meta is what remembers its HLC across a restart (clock-high-water.ts).
   */
  acknowledge(changeIds: readonly string[]): number {
    const { db } = this.#ctx;
    const remove = db.prepare<[string]>('DELETE FROM outbox WHERE id = ?');
    let removed = 0;
    db.transaction(() => {
      const highWater = newestHlc(readClockHighWater(db), this.#lastHlc);
      if (highWater !== null) saveClockHighWater(db, highWater);
      for (const id of changeIds) removed += remove.run(id).changes;
    }).immediate();
    if (removed > 0 && !db.inTransaction) returnFreePages(db);
    return removed;
  }

  /** The HLC currently held by each field of a record (what a later change's `base` will name). */
  fieldClocks(collection: Collection, recordId: string): Record<string, string> {
    return this.#clocks.read(collection, recordId);
  }
}

/** Free pages worth giving back to the file system after an acknowledge. */
const RETURN_FREE_BYTES = 1024 * 1024;

/**
 * A push's outbox rows, once deleted, leave free pages behind (a batch of 5,000 changes is
 * a few MB). In a vault created with auto_vacuum = INCREMENTAL (new vaults), they are given
 * back once there are more than RETURN_FREE_BYTES; otherwise the next writes reuse them.
 */
function returnFreePages(db: SqliteDatabase): void {
  if (Number(db.pragma('auto_vacuum', { simple: true })) !== 2) return;
  const free = Number(db.pragma('freelist_count', { simple: true }));
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  if (free * pageSize > RETURN_FREE_BYTES) db.pragma('incremental_vacuum');
}

const OUTBOX_META_KEY = 'sync_outbox';
const OUTBOX_ON = '1';

function unclockedBase(names: readonly string[]): Record<string, null> {
  const base: Record<string, null> = {};
  for (const name of names) base[name] = null;
  return base;
}

/** JSON has no undefined: a cleared field travels as null. Copies only when it must. */
function withNullForUndefined(
  fields: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  if (!names.some((name) => fields[name] === undefined)) return { ...fields };
  const values: Record<string, unknown> = {};
  for (const name of names) values[name] = fields[name] === undefined ? null : fields[name];
  return values;
}

/** Only the fields that replaced a clocked value; the rest are null on reading (toEntry). */
function encodeBase(base: Record<string, string | null>): string {
  let replaced: Record<string, string> | undefined;
  for (const [field, hlc] of Object.entries(base)) {
    if (hlc !== null) (replaced ??= {})[field] = hlc;
  }
  return replaced === undefined ? '{}' : JSON.stringify(replaced);
}

function toEntry(row: OutboxRow): OutboxEntry {
  const fields = JSON.parse(row.fields_json) as Record<string, unknown>;
  return {
    seq: row.seq,
    createdAt: row.created_at,
    change: {
      id: row.id,
      collection: row.collection as Collection,
      recordId: row.record_id,
      op: row.op as Change['op'],
      fields,
      base: decodeBase(fields, row.base_json),
      hlc: row.hlc,
      deviceId: row.device_id,
    },
  };
}

/** Every written field has a base; those base_json leaves out replaced nothing. */
function decodeBase(
  fields: Record<string, unknown>,
  baseJson: string,
): Record<string, string | null> {
  const replaced = JSON.parse(baseJson) as Record<string, string>;
  const base: Record<string, string | null> = {};
  for (const field of Object.keys(fields)) {
    base[field] = Object.hasOwn(replaced, field) ? (replaced[field] ?? null) : null;
  }
  return base;
}
