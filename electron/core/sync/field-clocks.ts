import { CofferError } from '../../../shared/errors/coffer-error.js';
import { MAX_HLC_COUNTER, MAX_HLC_WALL_MS } from '../../../shared/hlc/hlc.js';
import { FieldNameSchema } from '../../../shared/sync/change.js';

/**
 * The text stored in a record's `sync_clocks` column (or in `record_clocks.clocks`, the
 * fallback): for one record, each HLC that still stamps some field, with those fields. Grouping by HLC keeps the common case (every field written
 * by one change, as after an insert) to a single HLC per record instead of one per field.
 *
 * Compact form: groups joined by ";", each a compact HLC
 * then either " " and the space-separated field names, or "=" and the code of a field list
 * in KNOWN_FIELD_SETS. A compact HLC is the wall ms and the counter in base 36 and the
 * device id, joined by "." — `mj2k4ab0.0.<device>=t1` instead of a 59-character HLC and
 * thirteen field names: a transaction's clocks shrink from ~180 to ~50 bytes.
 *
 * Device refs: where this vault has numbered a device (`sync_devices`, device-refs.ts), the
 * device id is written `~<ref in base 36>` (`mj2k4ab0.0.~1=t1`, 16 bytes). "~" is outside
 * DEVICE_ID_PATTERN, so a ref is never mistaken for a device id. Refs are local numbers:
 * decoding turns them back into the device id, so a clock reads as the same HLC on every
 * device whatever refs each one gave.
 *
 * The first form, a JSON object `{"<hlc>":"name notes"}`, is still read: a record keeps it
 * until its next write. No form needs escaping: an HLC holds only digits, letters,
 * ":", "-" and "_" (HLC_PATTERN) and field names only letters, digits and "_".
 */
export type FieldClocks = Map<string, string>; // field → HLC

/**
 * Field lists that one change writes whole, by code. Append only, never edit or reuse a
 * code: stored clocks name them. Matched on the exact order the services write.
 */
const KNOWN_FIELD_SETS: Readonly<Record<string, readonly string[]>> = {
  // A new transaction: record-fields.ts transactionFields.
  t1: [
    'accountId',
    'date',
    'amountMinor',
    'currency',
    'payeeId',
    'categoryId',
    'notes',
    'importId',
    'importBatch',
    'importKey',
    'splits',
    'createdAt',
    'updatedAt',
  ],
};

/** Exact order first (what an insert writes, no sorting on the hot path), then any order. */
const CODE_BY_FIELD_LIST = new Map(
  Object.entries(KNOWN_FIELD_SETS).map(([code, fields]) => [fields.join(' '), code]),
);
const CODE_BY_SORTED_FIELDS = new Map(
  Object.entries(KNOWN_FIELD_SETS).map(([code, fields]) => [[...fields].sort().join(' '), code]),
);
const KNOWN_SET_SIZES = new Set(Object.values(KNOWN_FIELD_SETS).map((fields) => fields.length));

/** Whether `code` names a field list this version knows (the "=" form of a group). */
export function isKnownFieldList(code: string): boolean {
  return Object.hasOwn(KNOWN_FIELD_SETS, code);
}

function fieldListCode(fields: readonly string[]): string | undefined {
  const exact = CODE_BY_FIELD_LIST.get(fields.join(' '));
  if (exact !== undefined || !KNOWN_SET_SIZES.has(fields.length)) return exact;
  return CODE_BY_SORTED_FIELDS.get([...fields].sort().join(' '));
}

/**
 * This vault's numbers for device ids (device-refs.ts). `refOf` never creates one; `deviceOf`
 * throws VAULT_CORRUPT for a ref the vault does not hold.
 */
export interface DeviceRefLookup {
  refOf(deviceId: string): number | undefined;
  deviceOf(ref: number): string;
}

/** The compact form of an HLC, with the device's ref when `refs` has one. */
export function compactHlc(hlc: string, refs?: DeviceRefLookup): string {
  // HLC_PATTERN: 15 digits, ":", 6 digits, ":", device id.
  const wall = Number(hlc.slice(0, 15));
  const counter = Number(hlc.slice(16, 22));
  const device = hlc.slice(23);
  const ref = refs?.refOf(device);
  const who = ref === undefined ? device : `~${ref.toString(36)}`;
  return `${wall.toString(36)}.${counter.toString(36)}.${who}`;
}

const COMPACT_HLC = /^([0-9a-z]{1,10})\.([0-9a-z]{1,4})\.([0-9A-Za-z_-]{1,64}|~[0-9a-z]{1,10})$/;

function corrupt(): CofferError {
  return new CofferError('VAULT_CORRUPT', 'A record clock in the vault cannot be read.');
}

export function expandHlc(compact: string, refs?: DeviceRefLookup): string {
  const match = COMPACT_HLC.exec(compact);
  const wall = parseInt(match?.[1] ?? '', 36);
  const counter = parseInt(match?.[2] ?? '', 36);
  if (match === null || !(wall <= MAX_HLC_WALL_MS) || !(counter <= MAX_HLC_COUNTER)) {
    throw corrupt();
  }
  let device = match[3] ?? '';
  if (device.startsWith('~')) {
    if (refs === undefined) throw corrupt();
    device = refs.deviceOf(parseInt(device.slice(1), 36));
  }
  return `${String(wall).padStart(15, '0')}:${String(counter).padStart(6, '0')}:${device}`;
}

function encodeGroup(hlc: string, fields: readonly string[], refs?: DeviceRefLookup): string {
  const code = fieldListCode(fields);
  const compact = compactHlc(hlc, refs);
  return code === undefined ? `${compact} ${fields.join(' ')}` : `${compact}=${code}`;
}

/** The clocks of a record all of whose `fields` were just written by the change stamped `hlc`. */
export function encodeSingleClock(
  fields: readonly string[],
  hlc: string,
  refs?: DeviceRefLookup,
): string {
  return encodeGroup(hlc, fields, refs);
}

export function encodeFieldClocks(clocks: FieldClocks, refs?: DeviceRefLookup): string {
  const byHlc = new Map<string, string[]>();
  for (const [field, hlc] of clocks) {
    const group = byHlc.get(hlc);
    if (group === undefined) byHlc.set(hlc, [field]);
    else group.push(field);
  }
  const groups: string[] = [];
  for (const [hlc, fields] of byHlc) groups.push(encodeGroup(hlc, fields, refs));
  return groups.join(';');
}

export function decodeFieldClocks(text: string, refs?: DeviceRefLookup): FieldClocks {
  const clocks: FieldClocks = new Map();
  if (text.startsWith('{')) {
    for (const [hlc, fields] of Object.entries(JSON.parse(text) as Record<string, string>)) {
      for (const field of fields.split(' ')) clocks.set(field, hlc);
    }
    return clocks;
  }
  if (text === '') return clocks;
  for (const group of text.split(';')) {
    const cut = group.search(/[ =]/);
    if (cut < 0) throw corrupt();
    const hlc = expandHlc(group.slice(0, cut), refs);
    const rest = group.slice(cut + 1);
    const fields =
      group[cut] !== '='
        ? rest.split(' ')
        : Object.hasOwn(KNOWN_FIELD_SETS, rest)
          ? KNOWN_FIELD_SETS[rest]
          : undefined;
    if (fields === undefined) {
      throw new CofferError(
        'VAULT_CORRUPT',
        `A record clock names field list "${rest.slice(0, 20)}", which this version does not know.`,
      );
    }
    for (const field of fields) clocks.set(field, hlc);
  }
  return clocks;
}

/**
 * Field names are stored space-separated, so they must be what the change contract allows
 * anyway (letters, digits, "_"). Names seen once are remembered: the same dozen names
 * repeat on every write.
 */
const checkedFieldNames = new Set<string>();
const MAX_REMEMBERED_NAMES = 10_000;

export function assertFieldNames(fields: readonly string[]): void {
  for (const field of fields) {
    if (checkedFieldNames.has(field)) continue;
    if (!FieldNameSchema.safeParse(field).success) {
      throw new CofferError(
        'INTERNAL',
        `Field name "${field.slice(0, 80)}" is not allowed in a change (letters, digits and "_", starting with a letter).`,
      );
    }
    if (checkedFieldNames.size < MAX_REMEMBERED_NAMES) checkedFieldNames.add(field);
  }
}
