import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { DEVICE_ID_PATTERN, HLC_PATTERN } from '../../../../shared/hlc/hlc.js';
import { FIELD_NAME_PATTERN } from '../../../../shared/sync/change.js';
import { changeFields, type Fields } from '../../export/change-fields.js';
import { RECORD_SPECS } from '../../export/export-tables.js';
import type { SqlRow } from '../../export/export.repository.js';
import { StatementCache } from '../../ledger/statement-cache.js';
import { tableExists } from '../../vault/table-exists.js';
import type { Vault } from '../../vault/vault.js';
import { encodeFieldClocks, expandHlc } from '../field-clocks.js';
import { RecordClocks } from '../record-clocks.js';
import { SnapshotClocks } from './snapshot-clocks.js';
import { checkRemoteChange, type RemoteChange } from '../remote-change-shape.js';

/**
 * What a snapshot holds, one JSON array per line (docs/sync-merge.md, "Snapshots and
 * bootstrap"): a header, then every record of every synced collection in RECORD_SPECS order
 * (live or tombstoned, fields exactly as a change carries them, with the record's field
 * clocks in the vault's own compact form), each followed by the values its fields keep in a
 * conflict; then the merge's superseded HLCs and the changes it keeps pending; then an end
 * line counting every line before it, so a snapshot cut short at a line boundary is refused.
 *
 * Version 2 adds, before the end line, the HLCs of the writer's seen set (seen-hlcs.ts:
 * changes it applied that no field clock shows any more), so a device that loads the
 * snapshot still knows them as applied when they are delivered again. A version 1 reader
 * refuses a version 2 snapshot by its header; this version reads both.
 *
 * Version 3 writes records in blocks, column by column: one line holds up to
 * RECORD_BLOCK_MAX consecutive records of one collection that carry the same fields, as
 * `["R", collection, [field names], [ids], [clocks], [[values of field 1], ...]]`, instead of
 * a line per record repeating every field name. The text is a third smaller, parses several
 * times faster and reaches the bulk load as columns it inserts many rows at a time. A record
 * that keeps values in a conflict ends its block, so its conflict lines still follow it. A
 * version 2 reader refuses a version 3 snapshot by its header; this version reads 1 to 3.
 *
 * Version 4 writes a block's column whose values are all the same (two records or more) as
 * `{"=": value}` instead of the list: an account id, a currency or a null repeated on every
 * record of a block. The text is about a third smaller again, so there is less to inflate
 * and parse. A version 3 reader refuses a version 4 snapshot by its header; this version
 * reads 1 to 4, and expands such a column into its list as it parses the line.
 *
 * The header may carry `{ devices: [...] }`: device ids the clocks name, so a reader can
 * give them refs before its load's transaction (device-refs.ts) and store the clocks with
 * refs as they arrive. A reader that does not know it ignores it.
 */
export const SNAPSHOT_FORMAT = 'coffer-snapshot';
export const SNAPSHOT_FORMAT_VERSION = 4;
/** Versions this version reads: every one it ever wrote. */
const READABLE_VERSIONS: ReadonlySet<unknown> = new Set([1, 2, 3, 4]);
/**
 * The most records one block line holds: big enough that per-line costs vanish, small
 * enough that a line stays far under a chunk and a reader's batch stays young.
 */
export const RECORD_BLOCK_MAX = 256;
/**
 * The most JSON text a block's records take (a record larger than that is a block alone):
 * gzip never grows text by more than a few bytes, so a block fits any chunk its records
 * would have fitted line by line.
 */
export const RECORD_BLOCK_TEXT_MAX = 128 * 1024;

export type SnapshotEntry =
  | { kind: 'header'; version: number; devices: readonly string[] }
  | {
      kind: 'record';
      collection: string;
      recordId: string;
      fields: Fields;
      /** The record's field clocks, compact with full device ids ('' when it has none). */
      clocks: string;
    }
  /** Records of one collection with the same fields, by column (version 3). */
  | {
      kind: 'records';
      collection: string;
      fields: readonly string[];
      recordIds: readonly string[];
      clocks: readonly string[];
      /** One list per field, of one value per record. */
      columns: readonly (readonly unknown[])[];
    }
  | {
      kind: 'conflict';
      collection: string;
      recordId: string;
      field: string;
      value: unknown;
      hlc: string;
      deviceId: string;
    }
  | { kind: 'superseded'; collection: string; recordId: string; field: string; hlc: string }
  /** An HLC in the writer's seen set (version 2). */
  | { kind: 'seen'; hlc: string }
  | {
      kind: 'pending';
      reason: 'unknown' | 'waiting';
      detail: string;
      change: RemoteChange;
      receivedAt: number;
    }
  | { kind: 'end'; lines: number };

interface ConflictRow {
  collection: string;
  record_id: string;
  field: string;
  value_json: string;
  hlc: string;
  device_id: string;
}

/**
 * Emits the vault's synced state as snapshot lines (each without its newline), in one pass.
 * The caller holds the transaction that makes the state one moment's.
 */
export function emitSnapshotLines(
  vault: Vault,
  emit: (line: string) => void,
  blockTextMax = RECORD_BLOCK_TEXT_MAX,
): void {
  const { db } = vault;
  const statements = new StatementCache(db);
  let lines = 0;
  const out = (value: unknown[]): void => {
    emit(JSON.stringify(value));
    lines++;
  };
  out([SNAPSHOT_FORMAT, SNAPSHOT_FORMAT_VERSION, { devices: knownDevices(vault) }]);
  // Kept values are few (open conflicts): read once, written beside their record.
  const conflicts = new Map<string, ConflictRow[]>();
  for (const row of db
    .prepare<[], ConflictRow>(
      'SELECT collection, record_id, field, value_json, hlc, device_id FROM sync_conflicts ORDER BY collection, record_id, field, hlc',
    )
    .iterate()) {
    const key = `${row.collection}\n${row.record_id}`;
    const list = conflicts.get(key);
    if (list === undefined) conflicts.set(key, [row]);
    else list.push(row);
  }
  // Clocks travel with full device ids: the vault's device refs are its own.
  const recordClocks = new RecordClocks(db);
  const clocksOf = (collection: string, recordId: string): string =>
    encodeFieldClocks(new Map(Object.entries(recordClocks.read(collection, recordId))));
  const block = new RecordBlock((line) => out(line), blockTextMax);
  for (const spec of RECORD_SPECS) {
    const selectChildren = (spec.children ?? []).map((child) => ({
      field: child.field,
      select: statements.get<[unknown], SqlRow>(
        `SELECT * FROM "${child.table}" WHERE "${child.parentColumn}" = ?`,
      ),
    }));
    // In id order: a reader's inserts then append to the primary key's B-tree.
    for (const row of db
      .prepare<[], SqlRow>(`SELECT * FROM "${spec.table}" ORDER BY id`)
      .iterate()) {
      const children = new Map<string, SqlRow[]>();
      for (const child of selectChildren) children.set(child.field, child.select.all(row.id));
      const fields = changeFields(spec, row, children);
      if (typeof row.deleted_at === 'number') fields.deletedAt = row.deleted_at;
      const recordId = String(row.id);
      block.add(spec.collection, recordId, fields, clocksOf(spec.collection, recordId));
      const key = `${spec.collection}\n${recordId}`;
      const kept = conflicts.get(key);
      if (kept !== undefined) {
        // Its kept values follow the record itself, as in a line per record.
        block.flush();
        for (const row of kept) out(conflictLine(row));
      }
      conflicts.delete(key);
    }
  }
  block.flush();
  // A kept value whose record is not here (it should not happen) still travels.
  for (const rows of conflicts.values()) for (const kept of rows) out(conflictLine(kept));
  for (const row of db
    .prepare<[], { collection: string; record_id: string; field: string; hlc: string }>(
      'SELECT collection, record_id, field, hlc FROM sync_superseded',
    )
    .iterate()) {
    out(['s', row.collection, row.record_id, row.field, row.hlc]);
  }
  for (const row of db
    .prepare<[], { reason: string; detail: string; change_json: string; received_at: number }>(
      'SELECT reason, detail, change_json, received_at FROM sync_pending ORDER BY hlc, change_id',
    )
    .iterate()) {
    out(['p', row.reason, row.detail, JSON.parse(row.change_json) as unknown, row.received_at]);
  }
  if (tableExists(db, 'sync_seen_hlcs')) {
    // Stored compact with full device ids; they travel as full HLCs, like every other line.
    for (const compact of db
      .prepare<[], string>('SELECT hlc FROM sync_seen_hlcs ORDER BY hlc')
      .pluck()
      .iterate()) {
      out(['h', expandHlc(compact)]);
    }
  }
  out(['end', lines]);
}

/** Consecutive records of one collection with the same field names, emitted as one line. */
class RecordBlock {
  readonly #emit: (line: unknown[]) => void;
  readonly #textMax: number;
  #collection = '';
  #fields: string[] = [];
  #recordIds: string[] = [];
  #clocks: string[] = [];
  #columns: unknown[][] = [];
  #text = 0;

  constructor(emit: (line: unknown[]) => void, textMax: number) {
    this.#emit = emit;
    this.#textMax = textMax;
  }

  add(collection: string, recordId: string, fields: Fields, clocks: string): void {
    const names = Object.keys(fields);
    // The record's own line's length: more than its share of the block's, never less.
    const text = Buffer.byteLength(JSON.stringify(fields)) + recordId.length + clocks.length + 16;
    if (
      this.#recordIds.length >= RECORD_BLOCK_MAX ||
      this.#text + text > this.#textMax ||
      collection !== this.#collection ||
      !sameNames(names, this.#fields)
    ) {
      this.flush();
      this.#collection = collection;
      this.#fields = names;
      this.#columns = names.map(() => []);
    }
    this.#text += text;
    this.#recordIds.push(recordId);
    this.#clocks.push(clocks);
    for (let i = 0; i < names.length; i++) this.#columns[i]!.push(fields[names[i]!]);
  }

  flush(): void {
    if (this.#recordIds.length === 0) return;
    const columns = this.#columns.map(compactColumn);
    this.#emit(['R', this.#collection, this.#fields, this.#recordIds, this.#clocks, columns]);
    this.#recordIds = [];
    this.#clocks = [];
    this.#columns = this.#fields.map(() => []);
    this.#text = 0;
  }
}

/** The key of a column written once for all its records (version 4). */
const SAME = '=';

/** A column as a block line carries it: `{"=": value}` when every record has that value. */
function compactColumn(values: readonly unknown[]): unknown {
  if (values.length < 2) return values;
  const first = values[0];
  const text = typeof first === 'object' && first !== null ? JSON.stringify(first) : null;
  for (let i = 1; i < values.length; i++) {
    const value = values[i];
    if (text === null ? value !== first : JSON.stringify(value) !== text) return values;
  }
  return { [SAME]: first };
}

/**
 * A block line's column as the list of its records' values: the list itself, or a column
 * written once (`{"=": value}`) repeated, each record with its own copy of an object. Null
 * when it is neither.
 */
export function columnValues(column: unknown, records: number): unknown[] | null {
  if (Array.isArray(column)) return column.length === records ? column : null;
  if (!isPlainObject(column)) return null;
  const keys = Object.keys(column);
  if (keys.length !== 1 || keys[0] !== SAME) return null;
  const value = (column as Record<string, unknown>)[SAME];
  if (typeof value !== 'object' || value === null) return new Array<unknown>(records).fill(value);
  const values: unknown[] = new Array<unknown>(records);
  // Nearly always an empty list (a record's splits): a new one each, not a deep copy.
  const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  for (let i = 0; i < records; i++) {
    values[i] = !empty ? structuredClone(value) : Array.isArray(value) ? [] : {};
  }
  return values;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A block's records one by one, as record lines would have carried them: for a reader that
 * takes records one at a time (the merge, or a record the bulk load keeps pending).
 */
export function blockRecords(
  block: Extract<SnapshotEntry, { kind: 'records' }>,
): Extract<SnapshotEntry, { kind: 'record' }>[] {
  return block.recordIds.map((recordId, row) => {
    const fields: Fields = {};
    block.fields.forEach((name, i) => {
      fields[name] = block.columns[i]![row];
    });
    return {
      kind: 'record',
      collection: block.collection,
      recordId,
      fields,
      clocks: block.clocks[row]!,
    };
  });
}

/** The most device ids a header may list: far more than a workspace has members' devices. */
const MAX_HEADER_DEVICES = 10_000;

/**
 * The devices this vault has refs for: every device whose changes it applied (the applier
 * makes their refs first) and itself. A clock naming another one still reads, by full id.
 */
function knownDevices(vault: Vault): string[] {
  if (!tableExists(vault.db, 'sync_devices')) return [];
  return vault.db
    .prepare<[number], string>('SELECT device_id FROM sync_devices ORDER BY ref LIMIT ?')
    .pluck()
    .all(MAX_HEADER_DEVICES);
}

function conflictLine(row: ConflictRow): unknown[] {
  return [
    'c',
    row.collection,
    row.record_id,
    row.field,
    JSON.parse(row.value_json) as unknown,
    row.hlc,
    row.device_id,
  ];
}

const COLLECTION = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * One line read back, checked: SNAPSHOT_INVALID for anything this version cannot trust to be
 * what a writer emitted (the chunk authenticated, but a writer may be buggy or newer).
 * `checkClocks` false leaves records' clocks to a consumer that checks every one as it
 * stores it (the bulk load, SnapshotClocks.localize), so they are not read twice.
 */
export function parseSnapshotLine(text: string, checkClocks = true): SnapshotEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('a line is not JSON');
  }
  if (!Array.isArray(value) || typeof value[0] !== 'string') throw invalid('a line is not a list');
  const line = value as unknown[];
  const kind = value[0];
  switch (kind) {
    case SNAPSHOT_FORMAT:
      if (!READABLE_VERSIONS.has(line[1])) {
        throw invalid(
          `its format version ${String(line[1]).slice(0, 20)} is not one this version reads (a newer Coffer wrote it)`,
        );
      }
      return { kind: 'header', version: line[1] as number, devices: headerDevices(line) };
    case 'r': {
      const [, collection, recordId, fields, clocks] = line;
      if (
        line.length !== 5 ||
        !isCollection(collection) ||
        !isRecordId(recordId) ||
        !isPlainObject(fields) ||
        !Object.keys(fields).every(isFieldName) ||
        typeof clocks !== 'string'
      ) {
        throw invalid('a record line is malformed');
      }
      if (checkClocks) SnapshotClocks.check(clocks, recordId);
      return { kind: 'record', collection, recordId, fields, clocks };
    }
    case 'R':
      return recordBlock(line, checkClocks);
    case 'c': {
      const [, collection, recordId, field, conflictValue, hlc, deviceId] = line;
      if (
        line.length !== 7 ||
        !isCollection(collection) ||
        !isRecordId(recordId) ||
        !isField(field) ||
        !isHlc(hlc) ||
        typeof deviceId !== 'string' ||
        !DEVICE_ID_PATTERN.test(deviceId)
      ) {
        throw invalid('a kept-value line is malformed');
      }
      return { kind: 'conflict', collection, recordId, field, value: conflictValue, hlc, deviceId };
    }
    case 's': {
      const [, collection, recordId, field, hlc] = line;
      if (
        line.length !== 5 ||
        !isCollection(collection) ||
        !isRecordId(recordId) ||
        !isField(field) ||
        !isHlc(hlc)
      ) {
        throw invalid('a superseded line is malformed');
      }
      return { kind: 'superseded', collection, recordId, field, hlc };
    }
    case 'h': {
      const [, hlc] = line;
      if (line.length !== 2 || !isHlc(hlc)) throw invalid('a seen-HLC line is malformed');
      return { kind: 'seen', hlc };
    }
    case 'p': {
      const [, reason, detail, change, receivedAt] = line;
      const shape = checkRemoteChange(change);
      if (
        line.length !== 5 ||
        (reason !== 'unknown' && reason !== 'waiting') ||
        typeof detail !== 'string' ||
        !shape.ok ||
        typeof receivedAt !== 'number' ||
        !Number.isSafeInteger(receivedAt)
      ) {
        throw invalid('a pending-change line is malformed');
      }
      return {
        kind: 'pending',
        reason,
        detail: detail.slice(0, 500),
        change: shape.change,
        receivedAt,
      };
    }
    case 'end': {
      const [, lines] = line;
      if (line.length !== 2 || typeof lines !== 'number' || !Number.isSafeInteger(lines)) {
        throw invalid('its end line is malformed');
      }
      return { kind: 'end', lines };
    }
    default:
      throw invalid(`a line of kind "${kind.slice(0, 20)}" is not one this version reads`);
  }
}

/** A block line (versions 3 and 4), checked as strictly as its records' own lines would be. */
function recordBlock(line: readonly unknown[], checkClocks: boolean): SnapshotEntry {
  const [, collection, fields, recordIds, clocks, columns] = line;
  if (
    line.length !== 6 ||
    !isCollection(collection) ||
    !Array.isArray(fields) ||
    !fields.every((name) => typeof name === 'string' && isFieldName(name)) ||
    new Set(fields).size !== fields.length ||
    !Array.isArray(recordIds) ||
    recordIds.length === 0 ||
    recordIds.length > RECORD_BLOCK_MAX ||
    !recordIds.every(isRecordId) ||
    !Array.isArray(clocks) ||
    clocks.length !== recordIds.length ||
    !Array.isArray(columns) ||
    columns.length !== fields.length
  ) {
    throw invalid('a record block line is malformed');
  }
  const lists: unknown[][] = [];
  for (const column of columns) {
    const values = columnValues(column, recordIds.length);
    if (values === null) throw invalid('a record block line is malformed');
    lists.push(values);
  }
  for (let row = 0; row < clocks.length; row++) {
    const text: unknown = clocks[row];
    if (typeof text !== 'string') throw invalid('a record block line is malformed');
    if (checkClocks) SnapshotClocks.check(text, recordIds[row] as string);
  }
  return {
    kind: 'records',
    collection,
    fields: fields as string[],
    recordIds,
    clocks: clocks as string[],
    columns: lists,
  };
}

/** The header's device list; none when it has none (an older writer). */
function headerDevices(line: readonly unknown[]): string[] {
  if (line.length === 2) return [];
  const extra = line[2];
  if (line.length !== 3 || !isPlainObject(extra)) throw invalid('its header is malformed');
  const devices = (extra as { devices?: unknown }).devices;
  if (devices === undefined) return [];
  if (
    !Array.isArray(devices) ||
    devices.length > MAX_HEADER_DEVICES ||
    !devices.every((id) => typeof id === 'string' && DEVICE_ID_PATTERN.test(id))
  ) {
    throw invalid('its header lists devices that are not device ids');
  }
  return devices as string[];
}

export function invalid(why: string): CofferError {
  return new CofferError('SNAPSHOT_INVALID', `The snapshot was refused: ${why}.`);
}

function isCollection(value: unknown): value is string {
  return typeof value === 'string' && COLLECTION.test(value);
}

function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 200;
}

function isField(value: unknown): value is string {
  return typeof value === 'string' && FIELD_NAME_PATTERN.test(value);
}

/**
 * Names seen once are remembered: the same dozen repeat on every record of a collection.
 * Bounded, as a hostile snapshot could name many.
 */
const goodFieldNames = new Set<string>();
const MAX_REMEMBERED_NAMES = 10_000;

function isFieldName(name: string): boolean {
  if (goodFieldNames.has(name)) return true;
  if (!FIELD_NAME_PATTERN.test(name)) return false;
  if (goodFieldNames.size < MAX_REMEMBERED_NAMES) goodFieldNames.add(name);
  return true;
}

function isHlc(value: unknown): value is string {
  return typeof value === 'string' && HLC_PATTERN.test(value);
}

function isPlainObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
