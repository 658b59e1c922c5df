import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import type { Collection } from '../../../../shared/sync/change.js';
import type Database from 'better-sqlite3-multiple-ciphers';
import { CLOCKS_COLUMN, RECORD_SPECS } from '../../export/export-tables.js';
import type { Vault } from '../../vault/vault.js';
import { sqliteCode } from '../../vault/sqlite-errors.js';
import { setMeta } from '../../vault/vault-meta.js';
import { loadCollectionMaps, unknownFields } from '../apply/collection-map.js';
import { conflictId } from '../apply/merge-state.repository.js';
import { RecordWriter } from '../apply/record-writer.js';
import { newestHlc, saveClockHighWater } from '../clock-high-water.js';
import { decodeFieldClocks } from '../field-clocks.js';
import { RecordClocks } from '../record-clocks.js';
import type { SnapshotEntry } from './snapshot-lines.js';
import { invalid } from './snapshot-lines.js';
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
  try {
    load();
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

  function load(): void {
    vault.transaction(() => {
      // Records refer to each other in both directions (a quote and the invoice it became):
      // references are checked once, at commit.
      db.pragma('defer_foreign_keys = ON');
      const maps = loadCollectionMaps(db);
      const writer = new RecordWriter(db);
      const recordClocks = new RecordClocks(db);
      const setClocks = new Map<string, Database.Statement<[string, string]>>();
      const clocksStatement = (table: string): Database.Statement<[string, string]> => {
        let statement = setClocks.get(table);
        if (statement === undefined) {
          statement = db.prepare<[string, string]>(
            `UPDATE "${table}" SET "${CLOCKS_COLUMN}" = ? WHERE id = ?`,
          );
          setClocks.set(table, statement);
        }
        return statement;
      };
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
      for (const entries of chunks) {
        for (const entry of entries) {
          switch (entry.kind) {
            case 'record': {
              const map = maps.get(entry.collection as Collection);
              const unknown = map === undefined ? null : unknownFields(map, entry.fields);
              const clocks = decodeFieldClocks(entry.clocks);
              for (const hlc of clocks.values()) newest = newestHlc(newest, hlc);
              if (map === undefined || (unknown !== null && unknown.length > 0)) {
                for (const change of recordChanges(entry, null)) {
                  keepPending(change, JSON.stringify(change), 'not known to this version', now);
                }
                result.deferred++;
                continue;
              }
              try {
                writer.write(map, entry.recordId, entry.fields, true);
              } catch (error) {
                if (isCofferError(error)) {
                  throw invalid(`record ${entry.recordId}: ${error.message}`);
                }
                throw error;
              }
              // In the record's own row, with this vault's device refs (record-clocks.ts).
              if (clocks.size > 0) {
                clocksStatement(map.spec.table).run(recordClocks.encode(clocks), entry.recordId);
              }
              result.records++;
              break;
            }
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
            case 'header':
            case 'end':
              break;
          }
        }
      }
      setMeta(db, 'sync_pulled_seq', String(seq));
      if (newest !== null) saveClockHighWater(db, newest);
    });
  }
}

/** Whether the vault holds any record, live or deleted, of a synced collection. */
export function holdsAnyRecord(vault: Vault): boolean {
  return RECORD_SPECS.some(
    (spec) => vault.db.prepare(`SELECT 1 FROM "${spec.table}" LIMIT 1`).get() !== undefined,
  );
}
