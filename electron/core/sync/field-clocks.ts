import { CofferError } from '../../../shared/errors/coffer-error.js';
import { FieldNameSchema } from '../../../shared/sync/change.js';

/**
 * The text stored in `record_clocks.clocks`: for one record, each HLC that still stamps
 * some field, mapped to those fields separated by spaces — `{"<hlc>":"name notes"}`.
 * Grouping by HLC keeps the common case (every field written by one change, as after an
 * insert) to a single HLC per record instead of one per field.
 */
export type FieldClocks = Map<string, string>; // field → HLC

/**
 * The clocks of a record all of whose `fields` were just written by the change stamped `hlc`.
 * Built by hand because it runs once per inserted record and JSON.stringify of an object
 * with a fresh computed key is several times slower. Nothing needs escaping: an HLC holds
 * only digits, letters, ":", "-" and "_" (HLC_PATTERN), and field names were checked by
 * assertFieldNames.
 */
export function encodeSingleClock(fields: readonly string[], hlc: string): string {
  return `{"${hlc}":"${fields.join(' ')}"}`;
}

export function encodeFieldClocks(clocks: FieldClocks): string {
  const byHlc = new Map<string, string[]>();
  for (const [field, hlc] of clocks) {
    const group = byHlc.get(hlc);
    if (group === undefined) byHlc.set(hlc, [field]);
    else group.push(field);
  }
  const encoded: Record<string, string> = {};
  for (const [hlc, fields] of byHlc) encoded[hlc] = fields.join(' ');
  return JSON.stringify(encoded);
}

export function decodeFieldClocks(text: string): FieldClocks {
  const clocks: FieldClocks = new Map();
  for (const [hlc, fields] of Object.entries(JSON.parse(text) as Record<string, string>)) {
    for (const field of fields.split(' ')) clocks.set(field, hlc);
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
