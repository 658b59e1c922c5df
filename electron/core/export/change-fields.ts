import { LOCAL_COLUMNS, type RecordSpec } from './export-tables.js';
import type { SqlRow } from './export.repository.js';

export type Fields = Record<string, unknown>;

export const camel = (column: string): string =>
  column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The fields a sync change carries for a record restored from an export: the same shape
 * the services record when they write it (see RecordSpec).
 */
export function changeFields(
  spec: RecordSpec,
  row: SqlRow,
  children: ReadonlyMap<string, readonly SqlRow[]>,
): Fields {
  const omit = new Set(['id', 'deleted_at', ...LOCAL_COLUMNS, ...(spec.omit ?? [])]);
  if (spec.paymentInstructions === true) omit.add('payment_method').add('payment_details');
  const fields: Fields = {};
  for (const [column, value] of Object.entries(row)) {
    if (omit.has(column)) continue;
    fields[camel(column)] = spec.booleans?.includes(column) === true ? value === 1 : value;
  }
  if (spec.paymentInstructions === true) {
    fields.paymentInstructions =
      row.payment_method === null || row.payment_method === undefined
        ? null
        : { method: row.payment_method, details: row.payment_details };
  }
  for (const child of spec.children ?? []) {
    const rows = [...(children.get(child.field) ?? [])].sort(
      (a, b) => Number(a.position) - Number(b.position),
    );
    fields[child.field] = rows.map((r) => {
      const item: Fields = {};
      for (const [column, value] of Object.entries(r)) {
        if (column !== child.parentColumn && column !== 'position') item[camel(column)] = value;
      }
      return item;
    });
  }
  return fields;
}
