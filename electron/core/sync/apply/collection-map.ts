import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { Collection } from '../../../../shared/sync/change.js';
import { camel } from '../../export/change-fields.js';
import { RECORD_SPECS, type ChildTable, type RecordSpec } from '../../export/export-tables.js';
import { ExportRepository, type ColumnInfo } from '../../export/export.repository.js';
import type { SqliteDatabase } from '../../vault/sqlcipher.js';
import { SETTLES_FIELD } from './money-fields.js';

/** Where one field of a change lands in the vault. */
export type FieldTarget =
  | { kind: 'column'; column: string; type: string; boolean: boolean }
  | { kind: 'payment' }
  | { kind: 'children'; child: ChildTable; columns: ReadonlyMap<string, ColumnInfo> }
  | { kind: 'tombstone' }
  | { kind: 'settles' };

/**
 * One collection's field → column map. It is not written by hand: it is the inverse of the
 * RecordSpec an export uses to turn rows into change fields (export-tables.ts, checked against
 * the services' own changes), read against THIS vault's columns. So a field whose column a
 * later migration adds is unknown before that migration and known after it, which is what
 * keeps such a change pending until the upgrade (point "Versions").
 */
export interface CollectionMap {
  readonly collection: Collection;
  readonly spec: RecordSpec;
  readonly fields: ReadonlyMap<string, FieldTarget>;
}

export function loadCollectionMaps(db: SqliteDatabase): Map<Collection, CollectionMap> {
  const repo = new ExportRepository(db);
  const maps = new Map<Collection, CollectionMap>();
  for (const spec of RECORD_SPECS) {
    const fields = new Map<string, FieldTarget>();
    const omit = new Set(['id', 'deleted_at', ...(spec.omit ?? [])]);
    if (spec.paymentInstructions === true) {
      omit.add('payment_method').add('payment_details');
      fields.set('paymentInstructions', { kind: 'payment' });
    }
    for (const column of repo.columns(spec.table)) {
      if (column.name === 'deleted_at') fields.set('deletedAt', { kind: 'tombstone' });
      if (omit.has(column.name)) continue;
      fields.set(camel(column.name), {
        kind: 'column',
        column: column.name,
        type: column.type,
        boolean: spec.booleans?.includes(column.name) === true,
      });
    }
    for (const child of spec.children ?? []) {
      const columns = new Map<string, ColumnInfo>();
      for (const column of repo.columns(child.table)) {
        if (column.name !== child.parentColumn && column.name !== 'position') {
          columns.set(camel(column.name), column);
        }
      }
      fields.set(child.field, { kind: 'children', child, columns });
    }
    fields.set(SETTLES_FIELD, { kind: 'settles' });
    maps.set(spec.collection, { collection: spec.collection, spec, fields });
  }
  return maps;
}

/** Field names (and names inside nested items) this vault has no place for. */
export function unknownFields(map: CollectionMap, fields: Record<string, unknown>): string[] {
  const unknown: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    const target = map.fields.get(name);
    if (target === undefined) unknown.push(name);
    else if (target.kind === 'children' && Array.isArray(value)) {
      for (const item of value as unknown[]) {
        if (typeof item !== 'object' || item === null) continue;
        for (const key of Object.keys(item)) {
          if (!target.columns.has(key)) unknown.push(`${name}.${key}`);
        }
      }
    }
  }
  return unknown.length === 0 ? unknown : [...new Set(unknown)];
}

export function invalidValue(field: string, why: string): CofferError {
  return new CofferError('INVALID_INPUT', `Field "${field}" ${why}`, { field });
}
