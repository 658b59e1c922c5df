import { randomUUID } from 'node:crypto';
import { parseHlc } from '../../../../shared/hlc/hlc.js';
import { decodeFieldClocks } from '../field-clocks.js';
import type { RemoteChange } from '../remote-change-shape.js';
import type { SnapshotEntry } from './snapshot-lines.js';

type RecordEntry = Extract<SnapshotEntry, { kind: 'record' }>;
type ConflictEntry = Extract<SnapshotEntry, { kind: 'conflict' }>;

/** For a record this vault already holds: the `base` a snapshot field's change names. */
export type BaseFor = (field: string, hlc: string) => string | null;

/**
 * A snapshot record as the changes that wrote its current state, one per HLC its field
 * clocks carry (as a first upload sends a record, engine/state-upload.ts), so the normal
 * merge can take it in.
 *
 * `baseFor` null: the record is new to the vault. Its oldest change carries every field with
 * its current value (the row is created from it alone; a field with no clock joins it); each
 * later one names that first change as its `base`, so merging raises no conflict and leaves
 * the snapshot's clocks. With `baseFor`: the record is here already, and each change carries
 * only the fields its HLC stamped, with the bases `baseFor` decides.
 */
export function recordChanges(entry: RecordEntry, baseFor: BaseFor | null): RemoteChange[] {
  const clocks = decodeFieldClocks(entry.clocks);
  const groups = new Map<string, string[]>();
  let oldest: string | null = null;
  const unclocked: string[] = [];
  for (const field of Object.keys(entry.fields)) {
    const hlc = clocks.get(field);
    if (hlc === undefined) {
      unclocked.push(field);
      continue;
    }
    if (oldest === null || hlc < oldest) oldest = hlc;
    const group = groups.get(hlc);
    if (group === undefined) groups.set(hlc, [field]);
    else group.push(field);
  }
  if (oldest === null) return [];
  const changes: RemoteChange[] = [];
  for (const [hlc, names] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const fresh = baseFor === null;
    const carried = fresh && hlc === oldest ? firstChangeFields(entry, names, unclocked) : names;
    const base: Record<string, string | null> = {};
    for (const name of names) {
      const parent = fresh ? (hlc === oldest ? null : oldest) : baseFor(name, hlc);
      if (parent !== null && parent < hlc) base[name] = parent;
    }
    changes.push(change(entry.collection, entry.recordId, hlc, carried, entry.fields, base));
  }
  return changes;
}

/** Every field but a tombstone stamped later (that goes in its own, later change). */
function firstChangeFields(
  entry: RecordEntry,
  names: readonly string[],
  unclocked: readonly string[],
): string[] {
  return Object.keys(entry.fields).filter(
    (name) => name !== 'deletedAt' || names.includes(name) || unclocked.includes(name),
  );
}

/** A value the snapshot kept in a conflict, as the change that wrote it (no base: it is a head). */
export function conflictChange(entry: ConflictEntry): RemoteChange {
  return {
    id: randomUUID(),
    collection: entry.collection,
    recordId: entry.recordId,
    op: 'upsert',
    fields: { [entry.field]: entry.value },
    base: {},
    hlc: entry.hlc,
    deviceId: parseHlc(entry.hlc).deviceId,
  };
}

function change(
  collection: string,
  recordId: string,
  hlc: string,
  names: readonly string[],
  fields: Record<string, unknown>,
  base: Record<string, string | null>,
): RemoteChange {
  return {
    id: randomUUID(),
    collection,
    recordId,
    op: names.includes('deletedAt') ? 'delete' : 'upsert',
    fields: Object.fromEntries(names.map((name) => [name, fields[name]])),
    base,
    hlc,
    deviceId: parseHlc(hlc).deviceId,
  };
}
