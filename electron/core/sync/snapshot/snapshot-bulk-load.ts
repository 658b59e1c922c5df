import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { Collection } from '../../../../shared/sync/change.js';
import { faultPoint } from '../../vault/fault-injection.js';
import { withRollbackJournal } from '../../vault/rollback-journal.js';
import { dropSecondaryIndexes, remakeIndexes } from '../../vault/secondary-indexes.js';
import { RECORD_SPECS } from '../../export/export-tables.js';
import type { Vault } from '../../vault/vault.js';
import { sqliteCode } from '../../vault/sqlite-errors.js';
import { setMeta } from '../../vault/vault-meta.js';
import { loadCollectionMaps, unknownFields, type CollectionMap } from '../apply/collection-map.js';
import { conflictId } from '../apply/merge-state.repository.js';
import { RecordWriter } from '../apply/record-writer.js';
import { newestHlc, saveClockHighWater } from '../clock-high-water.js';
import { deviceRefs } from '../device-refs.js';
import { SeenHlcs } from '../seen-hlcs.js';
import { SnapshotClocks } from './snapshot-clocks.js';
import type { SnapshotEntry } from './snapshot-lines.js';
import { blockRecords, invalid } from './snapshot-lines.js';
import { recordChanges } from './snapshot-changes.js';

/** How the vault's transaction reports a constraint a loaded row broke (vault/sqlite-errors.ts). */
const REFUSED_BY_THE_VAULT: ReadonlySet<string> = new Set([
  'INVALID_STATE',
  'INVALID_INPUT',
  'DUPLICATE',
  'CONFLICT',
]);

export interface BulkLoadResult {
  records: number;
  /** Records of a collection or with fields this version does not know: kept pending. */
  deferred: number;
}

/**
 * Loads a snapshot into a vault that holds no synced record, in one vault transaction
 * (docs/sync-merge.md, "On the device"): rows, child rows and field clocks written straight
 * from the snapshot with prepared inserts, no per-change merge (there is nothing to merge
 * with); kept values, superseded HLCs and pending changes as the writer held them; the pulled
 * seq set to the snapshot's. Anything wrong (a chunk that fails, a value the vault refuses)
 * rolls the whole load back: nothing is applied. A record this version cannot place (a
 * newer Coffer's collection or field) is kept pending as changes, as a pull would keep it.
 *
 * `chunks` yields the snapshot's entries chunk by chunk; it is read inside the transaction.
 * Every record's clocks are checked here as they are stored (SnapshotClocks.localize), so
 * `chunks` may leave them unchecked (snapshotEntries' `checkClocks`).
 */
export function bulkLoadSnapshot(
  vault: Vault,
  seq: number,
  chunks: Iterable<readonly SnapshotEntry[]>,
): BulkLoadResult {
  const { db } = vault;
  const result: BulkLoadResult = { records: 0, deferred: 0 };
  let newest: string | null = null;
  if (holdsAnyRecord(vault)) {
    throw new CofferError(
      'INVALID_STATE',
      'A snapshot is loaded this way only into a vault with no synced record.',
    );
  }
  const refs = deviceRefs(db);
  const iterator = chunks[Symbol.iterator]();
  try {
    // The first chunk is read before the transaction: its header names the devices the
    // clocks name, whose refs can only be made outside one (device-refs.ts). A load that
    // fails later leaves those refs behind, which name nothing and cost nothing.
    const first = iterator.next();
    const header = first.done === true ? undefined : first.value[0];
    if (header?.kind === 'header') for (const device of header.devices) refs.ensure(device);
    withRollbackJournal(db, () => {
      load(first);
      faultPoint('snapshot-load:after-commit');
    });
  } catch (error) {
    // Authentic bytes can still describe rows this vault refuses (a writer's bug, a reference
    // to a record the snapshot lacks): refused like any bad snapshot, and rolled back whole.
    const code = sqliteCode(error);
    if (code !== undefined && code.startsWith('SQLITE_CONSTRAINT')) {
      throw invalid(`its records break the vault's rules (${code})`);
    }
    if (isCofferError(error) && REFUSED_BY_THE_VAULT.has(error.code)) {
      throw invalid(`its records break the vault's rules: ${error.message}`);
    }
    throw error;
  } finally {
    iterator.return?.();
  }
  // Only once committed (as the applier does): this device's next HLC follows every loaded one.
  // One too far ahead is refused by the clock; the high-water mark saved with the load still
  // holds it, and the next start of the vault resumes from there.
  if (newest !== null) {
    try {
      vault.clock.receive(newest, 0);
    } catch (error) {
      if (!isCofferError(error) || error.code !== 'CLOCK_DRIFT') throw error;
    }
  }
  return result;

  function load(first: IteratorResult<readonly SnapshotEntry[]>): void {
    vault.transaction(() => {
      // Records refer to each other in both directions (a quote and the invoice it became):
      // references are checked once, at commit.
      db.pragma('defer_foreign_keys = ON');
      const indexes = dropSecondaryIndexes(db, syncedTables());
      const maps = loadCollectionMaps(db);
      const writer = new RecordWriter(db);
      const clocks = new SnapshotClocks(refs);
      const seen = new SeenHlcs(db);
      const insertConflict = db.prepare<[string, string, string, string, string, string, string]>(
        `INSERT INTO sync_conflicts (id, collection, record_id, field, value_json, hlc, device_id)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      );
      const insertSuperseded = db.prepare<[string, string, string, string]>(
        `INSERT INTO sync_superseded (collection, record_id, field, hlc) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      );
      const insertPending = db.prepare<[string, string, string, string, string, number]>(
        `INSERT INTO sync_pending (change_id, hlc, reason, detail, change_json, received_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (change_id) DO NOTHING`,
      );
      const keepPending = (
        change: { id: string; hlc: string },
        json: string,
        detail: string,
        at: number,
      ): void => {
        insertPending.run(change.id, change.hlc, 'unknown', detail, json, at);
        newest = newestHlc(newest, change.hlc);
      };
      const now = vault.now();
      const writeRecord = (entry: Extract<SnapshotEntry, { kind: 'record' }>): void => {
        const map = maps.get(entry.collection as Collection);
        const unknown = map === undefined ? null : unknownFields(map, entry.fields);
        // In the record's own row, with this vault's device refs (record-clocks.ts).
        const stored = clocks.localize(entry.clocks, entry.recordId);
        if (map === undefined || (unknown !== null && unknown.length > 0)) {
          for (const change of recordChanges(entry, null)) {
            keepPending(change, JSON.stringify(change), 'not known to this version', now);
          }
          result.deferred++;
          return;
        }
        try {
          writer.write(map, entry.recordId, entry.fields, true, stored === '' ? undefined : stored);
        } catch (error) {
          if (isCofferError(error)) {
            throw invalid(`record ${entry.recordId}: ${error.message}`);
          }
          throw error;
        }
        result.records++;
      };
      for (let next = first; next.done !== true; next = iterator.next()) {
        for (const entry of next.value) {
          switch (entry.kind) {
            case 'records': {
              const map = maps.get(entry.collection as Collection);
              // A block this version cannot place whole goes record by record, as lines would.
              if (map === undefined || !placesWhole(map, entry)) {
                for (const record of blockRecords(entry)) writeRecord(record);
                break;
              }
              const stored = entry.clocks.map((text, row) => {
                const local = clocks.localize(text, entry.recordIds[row]!);
                return local === '' ? null : local;
              });
              try {
                writer.insertColumns(map, entry.fields, entry.recordIds, entry.columns, stored);
              } catch (error) {
                if (isCofferError(error)) throw invalid(error.message);
                throw error;
              }
              result.records += entry.recordIds.length;
              break;
            }
            case 'record':
              writeRecord(entry);
              break;
            case 'conflict':
              insertConflict.run(
                conflictId(entry.collection, entry.recordId, entry.field, entry.hlc),
                entry.collection,
                entry.recordId,
                entry.field,
                JSON.stringify(entry.value === undefined ? null : entry.value),
                entry.hlc,
                entry.deviceId,
              );
              newest = newestHlc(newest, entry.hlc);
              break;
            case 'superseded':
              insertSuperseded.run(entry.collection, entry.recordId, entry.field, entry.hlc);
              break;
            case 'pending':
              insertPending.run(
                entry.change.id,
                entry.change.hlc,
                entry.reason,
                entry.detail,
                JSON.stringify(entry.change),
                entry.receivedAt,
              );
              newest = newestHlc(newest, entry.change.hlc);
              break;
            case 'seen':
              seen.add(entry.hlc);
              newest = newestHlc(newest, entry.hlc);
              break;
            case 'header':
            case 'end':
              break;
          }
        }
      }
      // A UNIQUE index the loaded rows break fails here: refused, and rolled back whole.
      remakeIndexes(db, indexes);
      newest = newestHlc(newest, clocks.newest());
      setMeta(db, 'sync_pulled_seq', String(seq));
      if (newest !== null) saveClockHighWater(db, newest);
      faultPoint('snapshot-load:before-commit');
    });
  }
}

/**
 * Whether every field of the block, and every key of its child rows, has a place in this
 * vault: then its records are inserted by column. Otherwise some go pending, one by one.
 */
function placesWhole(
  map: CollectionMap,
  block: Extract<SnapshotEntry, { kind: 'records' }>,
): boolean {
  for (let i = 0; i < block.fields.length; i++) {
    const target = map.fields.get(block.fields[i]!);
    if (target === undefined) return false;
    if (target.kind !== 'children') continue;
    for (const value of block.columns[i]!) {
      if (!Array.isArray(value)) continue;
      for (const item of value as unknown[]) {
        if (typeof item !== 'object' || item === null) continue;
        for (const key of Object.keys(item)) if (!target.columns.has(key)) return false;
      }
    }
  }
  return true;
}

/** Every synced table and its child tables: their secondary indexes are made after the load. */
function syncedTables(): string[] {
  return RECORD_SPECS.flatMap((spec) => [
    spec.table,
    ...(spec.children ?? []).map((child) => child.table),
  ]);
}

/** Whether the vault holds any record, live or deleted, of a synced collection. */
export function holdsAnyRecord(vault: Vault): boolean {
  return RECORD_SPECS.some(
    (spec) => vault.db.prepare(`SELECT 1 FROM "${spec.table}" LIMIT 1`).get() !== undefined,
  );
}
