import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import { MAX_CLOCK_DRIFT_MS, parseHlc } from '../../../../shared/hlc/hlc.js';
import { COLLECTIONS, type Collection } from '../../../../shared/sync/change.js';
import { sqliteCode } from '../../vault/sqlite-errors.js';
import type { Vault } from '../../vault/vault.js';
import { newestHlc, saveClockHighWater } from '../clock-high-water.js';
import { deviceRefs } from '../device-refs.js';
import { RecordClocks } from '../record-clocks.js';
import { loadCollectionMaps, unknownFields, type CollectionMap } from './collection-map.js';
import { MergeStateRepository, conflictId } from './merge-state.repository.js';
import { isMoneyField, SETTLES_FIELD } from './money-fields.js';
import { RecordWriter } from './record-writer.js';
import {
  checkRemoteChange,
  claimedId,
  parseSettles,
  type RemoteChange,
} from '../remote-change-shape.js';

export interface ApplyResult {
  applied: number;
  alreadyHad: number;
  conflicts: number;
  deferred: number;
  refused: { changeId: string; code: string; message: string }[];
}

/** A change can wait for a record that has not arrived yet; these are how SQLite says so. */
const WAITING_CODES: ReadonlySet<string> = new Set([
  'SQLITE_CONSTRAINT_FOREIGNKEY',
  'SQLITE_CONSTRAINT_NOTNULL',
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
]);

const KNOWN_COLLECTIONS: ReadonlySet<string> = new Set(COLLECTIONS);

/** Devices one batch may name for the first time; the rest keep full ids in clocks. */
const MAX_NEW_DEVICES_PER_BATCH = 64;

type Clocks = Record<string, string>;

type Outcome =
  | { kind: 'applied' }
  | { kind: 'alreadyHad' }
  | { kind: 'deferred' }
  | { kind: 'refused'; code: string; message: string };

/**
 * Applies changes that other devices made (docs/architecture.md, Merge): field by field,
 * last writer wins by HLC, except that a money-bearing field edited concurrently keeps every
 * value and flags the record; a tombstone is final. The outcome depends only on the set of
 * changes applied, never on the order they came in, so every device ends up with the same
 * rows and the same conflicts.
 *
 * Applied changes are not recorded in the outbox (they came from elsewhere) but do stamp the
 * record clocks, so a later local edit names them as its `base`. A change was applied when
 * its HLC still stamps a field of its record, or is in the seen set: a change that stamped
 * no field (it lost every one to newer ones) goes there when applied, and one whose last
 * field a later stamp takes over goes there then (RecordClocks). That is how a change
 * delivered again is recognised, and a late change's `base` told "already here" from
 * "not yet", without keeping a row per change.
 */
export class RemoteChangeApplier {
  readonly #vault: Vault;
  readonly #state: MergeStateRepository;
  readonly #clocks: RecordClocks;
  readonly #writer: RecordWriter;
  #maps: Map<Collection, CollectionMap>;
  readonly #kept = new Set<string>();

  constructor(vault: Vault) {
    this.#vault = vault;
    this.#state = new MergeStateRepository(vault.db);
    this.#clocks = new RecordClocks(vault.db);
    this.#writer = new RecordWriter(vault.db);
    this.#maps = loadCollectionMaps(vault.db);
  }

  /**
   * Applies a batch in one vault transaction. A change more than 60 s ahead of this device's
   * clock (corrected by the server's offset) is refused, naming its device; the local clock
   * takes the batch's newest accepted HLC only once the transaction has committed.
   */
  apply(
    changes: readonly RemoteChange[],
    opts: { serverClockOffsetMs?: number } = {},
  ): ApplyResult {
    if (this.#vault.db.inTransaction) {
      // Inside a caller's transaction, "committed" would not mean committed: the clock must wait.
      throw new CofferError('INTERNAL', 'RemoteChangeApplier.apply() runs its own transaction.');
    }
    const offset = opts.serverClockOffsetMs ?? 0;
    if (!Number.isSafeInteger(offset)) {
      throw new CofferError('INVALID_INPUT', 'serverClockOffsetMs must be a whole number of ms');
    }
    const result = emptyResult();
    let newest: string | null = null;
    this.#nameDevices(changes);
    this.#inBatch(() => {
      const limit = this.#vault.now() + offset + MAX_CLOCK_DRIFT_MS;
      const kept: string[] = [];
      for (const raw of changes as readonly unknown[]) {
        const outcome = this.#receive(raw, limit);
        count(result, outcome, claimedId(raw));
        if (outcome.kind === 'applied' || outcome.kind === 'deferred') {
          newest = newestHlc(newest, (raw as RemoteChange).hlc);
        }
        if (outcome.kind === 'deferred') kept.push((raw as RemoteChange).id);
      }
      this.#retryWaiting(result);
      result.deferred = kept.filter((id) => this.#state.isPending(id)).length;
      this.#countOpened(result);
      if (newest !== null) saveClockHighWater(this.#vault.db, newest);
    });
    if (newest !== null) this.#vault.clock.receive(newest, offset);
    return result;
  }

  /**
   * Retries every kept change: after an upgrade (a migration may have added the collection
   * or column a newer device wrote), or whenever a record they wait for may have arrived.
   */
  applyDeferred(): ApplyResult {
    const result = emptyResult();
    this.#inBatch(() => {
      this.#maps = loadCollectionMaps(this.#vault.db);
      for (const row of this.#state.pending()) {
        const change = JSON.parse(row.change_json) as RemoteChange;
        const outcome = this.#merge(change, row.received_at, true);
        if (outcome.kind === 'deferred') continue;
        this.#state.removePending(change.id);
        count(result, outcome, change.id);
      }
      this.#retryWaiting(result);
      this.#countOpened(result);
    });
    result.deferred = this.#state.pending().length;
    return result;
  }

  /**
   * Gives the batch's devices refs before its transaction opens: refs are only made outside
   * transactions, so none can outlive a rollback (device-refs.ts).
   */
  #nameDevices(changes: readonly RemoteChange[]): void {
    const refs = deviceRefs(this.#vault.db);
    const named = new Set<string>([this.#vault.deviceId]);
    for (const raw of changes as readonly unknown[]) {
      const deviceId = (raw as { deviceId?: unknown } | null | undefined)?.deviceId;
      if (typeof deviceId !== 'string' || named.has(deviceId)) continue;
      if (named.size > MAX_NEW_DEVICES_PER_BATCH) return;
      named.add(deviceId);
      refs.ensure(deviceId);
    }
  }

  /** One vault transaction in which the merge state may remember which of its tables are empty. */
  #inBatch(fn: () => void): void {
    this.#vault.transaction(() => {
      this.#state.beginBatch();
      try {
        fn();
      } finally {
        this.#state.endBatch();
      }
    });
  }

  #receive(raw: unknown, limit: number): Outcome {
    const shape = checkRemoteChange(raw);
    if (!shape.ok) return { kind: 'refused', code: 'INVALID_CHANGE', message: shape.message };
    const change = shape.change;
    const wallMs = parseHlc(change.hlc).wallMs;
    if (wallMs > limit) {
      const ahead = Math.round((wallMs - limit + MAX_CLOCK_DRIFT_MS) / 1000);
      return {
        kind: 'refused',
        code: 'CLOCK_AHEAD',
        message:
          `A change from device "${change.deviceId}" is ${ahead} s ahead of this device's clock ` +
          `(limit ${MAX_CLOCK_DRIFT_MS / 1000} s); check the date and time on that device`,
      };
    }
    if (change.deviceId === this.#vault.deviceId || this.#state.isPending(change.id)) {
      return { kind: 'alreadyHad' };
    }
    // An HLC names one write: the same write sent again, under its own id or a new one (a
    // first upload or a re-push after a server restore), carries nothing the one applied did not.
    const clocks = this.#clocks.read(change.collection, change.recordId);
    if (this.#seen(change.hlc, clocks)) return { kind: 'alreadyHad' };
    return this.#merge(change, this.#vault.now(), false, clocks);
  }

  /** Applies one well-formed change, or keeps it pending; never half of it. */
  #merge(change: RemoteChange, receivedAt: number, fromPending: boolean, clocks?: Clocks): Outcome {
    const map = KNOWN_COLLECTIONS.has(change.collection)
      ? this.#maps.get(change.collection as Collection)
      : undefined;
    const unknown = map === undefined ? null : unknownFields(map, change.fields);
    if (map === undefined || (unknown !== null && unknown.length > 0)) {
      const detail =
        map === undefined
          ? `collection "${change.collection}" is not known to this version`
          : `fields not known to this version: ${(unknown ?? []).join(', ')}`;
      this.#keep(change, 'unknown', detail, receivedAt);
      return { kind: 'deferred' };
    }
    const settles = parseSettles(change.fields[SETTLES_FIELD], change.hlc);
    if (settles === null) {
      return {
        kind: 'refused',
        code: 'INVALID_CHANGE',
        message: `Invalid change: fields.${SETTLES_FIELD} must map fields to older HLCs`,
      };
    }
    try {
      this.#mergeFields(map, change, settles, clocks);
      if (fromPending) this.#state.removePending(change.id);
      return { kind: 'applied' };
    } catch (error) {
      const code = sqliteCode(error);
      if (code !== undefined && WAITING_CODES.has(code)) {
        this.#keep(change, 'waiting', waitingDetail(code), receivedAt);
        return { kind: 'deferred' };
      }
      if (
        code === 'SQLITE_CONSTRAINT_CHECK' ||
        (isCofferError(error) && error.code === 'INVALID_INPUT')
      ) {
        if (fromPending) this.#state.removePending(change.id);
        return {
          kind: 'refused',
          code: 'INVALID_CHANGE',
          message: isCofferError(error)
            ? `Invalid change: ${error.message}`
            : 'Invalid change: a value is outside what the vault accepts',
        };
      }
      throw error;
    }
  }

  /**
   * The field-by-field merge, in two steps: decide from what is stored (reads only), then
   * write. The row write is the only step a missing record can make fail, and it runs first,
   * so a change that must wait leaves nothing behind without a savepoint per change (a
   * savepoint copies every page it touches into a sub-journal); only a write with child
   * rows, which could fail halfway, gets one. Remembers in #kept the conflicts it opened.
   */
  #mergeFields(
    map: CollectionMap,
    change: RemoteChange,
    settles: Map<string, string[]>,
    known?: Clocks,
  ): void {
    const { collection, recordId, hlc } = change;
    const state = this.#state;
    const clocks = known ?? this.#clocks.read(collection, recordId);
    const winners: Record<string, unknown> = {};
    const then: (() => void)[] = [];
    for (const [field, value] of Object.entries(change.fields)) {
      // A tombstone is final: no change brings a deleted record back.
      if (field === 'deletedAt' && value === null) continue;
      const current = clocks[field];
      if (!isMoneyField(collection as Collection, field) || change.op !== 'upsert') {
        if (current === undefined || hlc > current) winners[field] = value;
        continue;
      }
      // The value stored is this very write, sent again while its first copy waited.
      if (current === hlc) continue;
      // Money: the values no other change replaced ("heads") are all kept; the newest is stored.
      const isHead = !state.isSuperseded(collection, recordId, field, hlc);
      if (!isHead) then.push(() => state.takeSuperseded(collection, recordId, field, hlc));
      let replacesCurrent = false;
      const parents = [change.base[field] ?? null, ...(settles.get(field) ?? [])];
      for (const parent of parents) {
        if (parent === null) continue;
        if (parent === current) replacesCurrent = true;
        else if (state.hasConflict(conflictId(collection, recordId, field, parent))) {
          then.push(() => state.settle(collection, recordId, field, parent));
        } else if (!this.#seen(parent, clocks)) {
          then.push(() => state.markSuperseded(collection, recordId, field, parent));
        }
      }
      if (!isHead) continue;
      if (current === undefined || hlc > current) {
        if (current !== undefined && !replacesCurrent) {
          const stored = this.#writer.readField(map, recordId, field);
          const device = parseHlc(current).deviceId;
          then.push(() =>
            this.#opened(state.keep(collection, recordId, field, current, stored, device)),
          );
        }
        winners[field] = value;
      } else {
        then.push(() =>
          this.#opened(state.keep(collection, recordId, field, hlc, value, change.deviceId)),
        );
      }
    }
    const names = Object.keys(winners);
    if (names.length > 0) {
      const write = (): void => this.#writer.write(map, recordId, winners);
      if (writesSeveralRows(winners)) this.#vault.db.transaction(write)();
      else write();
    }
    for (const step of then) step();
    // A change that stamps no field would leave no trace of having been applied.
    if (names.length > 0) this.#clocks.stamp(collection, recordId, names, hlc);
    else state.markSeen(hlc);
  }

  #opened(conflictId: string | null): void {
    if (conflictId !== null) this.#kept.add(conflictId);
  }

  /**
   * Conflicts opened during this call that are still open: a value kept while an older link
   * of its chain was missing is settled when that link arrives, and does not count.
   */
  #countOpened(result: ApplyResult): void {
    result.conflicts = [...this.#kept].filter((id) => this.#state.hasConflict(id)).length;
    this.#kept.clear();
  }

  /**
   * Whether the change stamped `hlc`, to the record whose clocks are `clocks`, is already
   * part of this vault: written here, still stamping a field, or in the seen set.
   */
  #seen(hlc: string, clocks: Clocks): boolean {
    if (parseHlc(hlc).deviceId === this.#vault.deviceId) return true;
    for (const field in clocks) if (clocks[field] === hlc) return true;
    return this.#state.isSeenHlc(hlc);
  }

  #keep(change: RemoteChange, reason: 'unknown' | 'waiting', detail: string, at: number): void {
    this.#state.putPending(change.id, change.hlc, reason, detail, JSON.stringify(change), at);
  }

  /**
   * Changes waiting for a record: retried until a pass applies none of them. Each one applied
   * counts as applied in this call's result, whichever batch brought it.
   */
  #retryWaiting(result: ApplyResult): void {
    for (;;) {
      let progress = false;
      for (const row of this.#state.waiting()) {
        const change = JSON.parse(row.change_json) as RemoteChange;
        const outcome = this.#merge(change, row.received_at, true);
        if (outcome.kind === 'deferred') continue;
        progress = true;
        if (outcome.kind === 'applied') {
          result.applied++;
        } else if (outcome.kind === 'refused') {
          result.refused.push({
            changeId: change.id,
            code: outcome.code,
            message: outcome.message,
          });
        }
      }
      if (!progress) return;
    }
  }
}

function emptyResult(): ApplyResult {
  return { applied: 0, alreadyHad: 0, conflicts: 0, deferred: 0, refused: [] };
}

function count(result: ApplyResult, outcome: Outcome, changeId: string): void {
  switch (outcome.kind) {
    case 'applied':
      result.applied++;
      break;
    case 'alreadyHad':
      result.alreadyHad++;
      break;
    case 'deferred':
      result.deferred++;
      break;
    case 'refused':
      result.refused.push({ changeId, code: outcome.code, message: outcome.message });
      break;
  }
}

/**
 * Child rows (splits, lines, allocations) are written after the record's own row, statement
 * by statement: any of them failing must take the rest back.
 */
function writesSeveralRows(values: Readonly<Record<string, unknown>>): boolean {
  return Object.values(values).some((v) => Array.isArray(v) && v.length > 0);
}

function waitingDetail(code: string): string {
  return code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
    ? 'refers to a record that has not arrived yet'
    : code === 'SQLITE_CONSTRAINT_NOTNULL'
      ? 'edits a record that has not arrived yet'
      : 'collides with another record';
}
