import { parseHlc } from '../../../../shared/hlc/hlc.js';
import type { Vault } from '../../vault/vault.js';
import { setMeta } from '../../vault/vault-meta.js';
import { MergeStateRepository } from '../apply/merge-state.repository.js';
import { RemoteChangeApplier, type ApplyResult } from '../apply/remote-change-applier.js';
import { PushAckLog } from '../engine/push-ack-log.js';
import { decodeFieldClocks } from '../field-clocks.js';
import { RecordClocks } from '../record-clocks.js';
import type { RemoteChange } from '../remote-change-shape.js';
import { conflictChange, recordChanges } from './snapshot-changes.js';
import { blockRecords, type SnapshotEntry } from './snapshot-lines.js';

/** Changes merged per applier batch (one vault transaction each). */
const MERGE_BATCH = 1_000;

type RecordEntry = Extract<SnapshotEntry, { kind: 'record' }>;
type ConflictEntry = Extract<SnapshotEntry, { kind: 'conflict' }>;

/** One record and the values its fields keep in conflicts, as the snapshot lists them together. */
interface Unit {
  record: RecordEntry | null;
  conflicts: ConflictEntry[];
  collection: string;
  recordId: string;
}

/**
 * Merges a snapshot into a vault that already holds records (a device that was offline for
 * longer than the server keeps history: docs/sync-merge.md, "On the device"), through the
 * normal merge: each snapshot record becomes the changes that wrote it (snapshot-changes.ts)
 * and the applier takes them field by field, so a value this device wrote and has not synced
 * (still in the outbox) stays where it is newer, and goes out with the next push.
 *
 * Money fields keep every head (docs/sync-merge.md, Rules), and a snapshot says which values
 * are heads through `seq` (a field's value and its kept values) but not which changes
 * replaced which. So a change names as its `base` the value this vault holds when that value
 * is not a head in the snapshot and this device did not write it after `seq`: the log
 * replaced it. A value this device wrote after `seq` (still in the outbox, or pushed with a
 * later seq per the acknowledgement log) is nobody else's to replace and stays a head. Kept
 * values here that the snapshot no longer keeps were settled in the log and are dropped on
 * the same terms.
 */
export function mergeSnapshot(
  vault: Vault,
  seq: number,
  chunks: Iterable<readonly SnapshotEntry[]>,
): ApplyResult {
  const applier = new RemoteChangeApplier(vault);
  const clocks = new RecordClocks(vault.db);
  const state = new MergeStateRepository(vault.db);
  const ownAfter = ownWritesAfter(vault, seq);
  const total: ApplyResult = { applied: 0, alreadyHad: 0, conflicts: 0, deferred: 0, refused: [] };
  let batch: RemoteChange[] = [];
  let units: Unit[] = [];
  let unit: Unit | null = null;

  const flush = (): void => {
    if (batch.length > 0) add(total, applier.apply(batch));
    const settled = units;
    vault.transaction(() => {
      for (const done of settled) settleDropped(state, done, ownAfter);
    });
    batch = [];
    units = [];
  };
  const close = (): void => {
    if (unit === null) return;
    batch.push(...unitChanges(unit, clocks, ownAfter));
    units.push(unit);
    unit = null;
    if (batch.length >= MERGE_BATCH) flush();
  };
  const superseded: Extract<SnapshotEntry, { kind: 'superseded' }>[] = [];
  const seen: string[] = [];
  for (const entries of chunks) {
    for (const entry of entries.flatMap((e) => (e.kind === 'records' ? blockRecords(e) : [e]))) {
      if (entry.kind === 'record') {
        close();
        unit = {
          record: entry,
          conflicts: [],
          collection: entry.collection,
          recordId: entry.recordId,
        };
      } else if (entry.kind === 'conflict') {
        if (
          unit === null ||
          unit.collection !== entry.collection ||
          unit.recordId !== entry.recordId
        ) {
          close();
          unit = {
            record: null,
            conflicts: [],
            collection: entry.collection,
            recordId: entry.recordId,
          };
        }
        unit.conflicts.push(entry);
      } else if (entry.kind === 'superseded') {
        superseded.push(entry);
      } else if (entry.kind === 'seen') {
        seen.push(entry.hlc);
      } else if (entry.kind === 'pending') {
        close();
        batch.push(entry.change);
        if (batch.length >= MERGE_BATCH) flush();
      }
    }
  }
  close();
  flush();
  vault.transaction(() => {
    // A mark for an HLC applied here already is never looked at again: harmless.
    for (const s of superseded) state.markSuperseded(s.collection, s.recordId, s.field, s.hlc);
    // Applied by the writer and displaced there: the snapshot's state holds their effect.
    for (const hlc of seen) state.markSeen(hlc);
    setMeta(vault.db, 'sync_pulled_seq', String(seq));
  });
  return total;
}

function unitChanges(
  unit: Unit,
  clocks: RecordClocks,
  ownAfter: (hlc: string) => boolean,
): RemoteChange[] {
  const changes: RemoteChange[] = [];
  if (unit.record !== null) {
    const local = clocks.read(unit.collection, unit.recordId);
    if (Object.keys(local).length === 0) {
      changes.push(...recordChanges(unit.record, null));
    } else {
      const heads = snapshotHeads(unit);
      changes.push(
        ...recordChanges(unit.record, (field) => {
          const held = local[field];
          if (held === undefined || heads.get(field)?.has(held) === true || ownAfter(held)) {
            return null;
          }
          return held;
        }),
      );
    }
  }
  for (const kept of unit.conflicts) changes.push(conflictChange(kept));
  return changes;
}

/** field → every value the snapshot holds as a head: the stored one and the kept ones. */
function snapshotHeads(unit: Unit): Map<string, Set<string>> {
  const heads = new Map<string, Set<string>>();
  const add = (field: string, hlc: string): void => {
    const set = heads.get(field);
    if (set === undefined) heads.set(field, new Set([hlc]));
    else set.add(hlc);
  };
  if (unit.record !== null) {
    for (const [field, hlc] of decodeFieldClocks(unit.record.clocks)) add(field, hlc);
  }
  for (const kept of unit.conflicts) add(kept.field, kept.hlc);
  return heads;
}

/**
 * Drops this vault's kept values for the unit's record that the snapshot does not keep,
 * unless this device wrote them after the snapshot: the log settled them.
 */
function settleDropped(
  state: MergeStateRepository,
  unit: Unit,
  ownAfter: (hlc: string) => boolean,
): void {
  if (unit.record === null) return;
  const heads = snapshotHeads(unit);
  const rows = state.db
    .prepare<[string, string], { field: string; hlc: string }>(
      'SELECT field, hlc FROM sync_conflicts WHERE collection = ? AND record_id = ?',
    )
    .all(unit.collection, unit.recordId);
  for (const row of rows) {
    if (heads.get(row.field)?.has(row.hlc) === true || ownAfter(row.hlc)) continue;
    state.settle(unit.collection, unit.recordId, row.field, row.hlc);
  }
}

/**
 * Whether an HLC names a write of this device that the snapshot cannot hold: still in the
 * outbox, or acknowledged by a push whose seqs reach past `seq`.
 */
function ownWritesAfter(vault: Vault, seq: number): (hlc: string) => boolean {
  const pending = new Set(vault.db.prepare<[], string>('SELECT hlc FROM outbox').pluck().all());
  const later = new PushAckLog(vault.db).all().filter((ack) => ack.lastSeq > seq);
  return (hlc) => {
    if (parseHlc(hlc).deviceId !== vault.deviceId) return false;
    if (pending.has(hlc)) return true;
    return later.some((ack) => ack.minHlc <= hlc && hlc <= ack.maxHlc);
  };
}

function add(total: ApplyResult, part: ApplyResult): void {
  total.applied += part.applied;
  total.alreadyHad += part.alreadyHad;
  total.conflicts += part.conflicts;
  total.deferred += part.deferred;
  total.refused.push(...part.refused);
}
