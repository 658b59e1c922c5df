import { CofferError, isCofferError } from '../../../../shared/errors/coffer-error.js';
import { changeFields } from '../../export/change-fields.js';
import type { SqlRow } from '../../export/export.repository.js';
import type { ColumnInfo } from '../../export/export.repository.js';
import { CLOCKS_COLUMN } from '../../export/export-tables.js';
import type { SqliteDatabase } from '../../vault/sqlcipher.js';
import { invalidValue, type CollectionMap, type FieldTarget } from './collection-map.js';

type SqlValue = string | number | null;
type Statement = ReturnType<SqliteDatabase['prepare']> & {
  run(...params: unknown[]): unknown;
};

/** Rows per multi-row INSERT: past a few dozen, a longer statement saves nothing more. */
const ROWS_PER_INSERT = 64;
/** Well under SQLite's bound on a statement's parameters (32,766). */
const MAX_PARAMS = 4_000;

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Writes change fields into a collection's rows, and reads a field back, the same shapes the
 * local services store: 0/1 for flags, payment instructions as two columns, splits, lines and
 * allocations as child rows in order. Table and column names come from the schema
 * (collection-map.ts), never from a change. Values are checked against the column's type, so a
 * string never lands in an amount through SQLite's type affinity.
 */
export class RecordWriter {
  readonly #db: SqliteDatabase;
  readonly #statements = new Map<string, Statement>();
  /** Multi-row INSERTs by table, column list and row count (see #insertRows). */
  readonly #insertStatements = new Map<string, Statement>();
  readonly #lastInsert = new Map<string, { names: readonly string[]; statement: Statement }>();

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  exists(map: CollectionMap, id: string): boolean {
    return (
      this.#prepare(`SELECT 1 FROM ${quote(map.spec.table)} WHERE id = ?`).get(id) !== undefined
    );
  }

  /** The value `field` has in the stored record now, as a change would carry it. */
  readField(map: CollectionMap, id: string, field: string): unknown {
    const row = this.#prepare(`SELECT * FROM ${quote(map.spec.table)} WHERE id = ?`).get(id) as
      SqlRow | undefined;
    if (row === undefined) return null;
    const children = new Map<string, SqlRow[]>();
    for (const child of map.spec.children ?? []) {
      if (child.field !== field) continue;
      children.set(
        child.field,
        this.#prepare(
          `SELECT * FROM ${quote(child.table)} WHERE ${quote(child.parentColumn)} = ? ORDER BY position`,
        ).all(id) as SqlRow[],
      );
    }
    if (field === 'deletedAt') return row.deleted_at ?? null;
    return changeFields(map.spec, row, children)[field] ?? null;
  }

  /**
   * Inserts the record (when absent) or updates it with `values`, field by field. `isNew`:
   * the caller knows it is absent (a snapshot loaded into an empty vault), so no lookup.
   * `clocks`: the row's `sync_clocks` text, written in the same statement (a bulk load), so
   * the row is not visited a second time to stamp it.
   */
  write(
    map: CollectionMap,
    id: string,
    values: Readonly<Record<string, unknown>>,
    isNew = false,
    clocks?: string,
  ): void {
    // Every field lands in columns of its own (collection-map.ts), so names never repeat.
    const names: string[] = [];
    const params: SqlValue[] = [];
    const childWrites: [FieldTarget & { kind: 'children' }, unknown][] = [];
    for (const field of Object.keys(values)) {
      const value = values[field];
      const target = map.fields.get(field);
      if (target === undefined) throw invalidValue(field, 'is not known');
      switch (target.kind) {
        case 'column':
          names.push(target.column);
          params.push(columnValue(field, target, value));
          break;
        case 'tombstone':
          names.push('deleted_at');
          params.push(integerOrNull(field, value));
          break;
        case 'payment':
          names.push('payment_method', 'payment_details');
          params.push(...paymentValues(field, value));
          break;
        case 'children':
          childWrites.push([target, value]);
          break;
        case 'settles':
          break;
      }
    }
    if (clocks !== undefined) {
      names.push(CLOCKS_COLUMN);
      params.push(clocks);
    }
    const table = quote(map.spec.table);
    const existed = !isNew && this.exists(map, id);
    if (existed) {
      if (names.length > 0) {
        this.#prepare(
          `UPDATE ${table} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE id = ?`,
        ).run(...params, id);
      }
    } else {
      this.#insert(map.spec.table, names).run(id, ...params);
    }
    for (const [target, value] of childWrites) this.#writeChildren(target, id, value, existed);
  }

  /**
   * Inserts records that are known to be absent (a snapshot loaded into an empty vault),
   * given by column: `columns[i][row]` is field `fields[i]` of record `recordIds[row]`,
   * `clocks[row]` its `sync_clocks` text (null for none). Values are checked as `write`
   * checks them; rows go in INSERT statements of up to ROWS_PER_INSERT rows each, so the
   * cost of a statement is paid once per many rows. A value refused names its record.
   */
  insertColumns(
    map: CollectionMap,
    fields: readonly string[],
    recordIds: readonly string[],
    columns: readonly (readonly unknown[])[],
    clocks: readonly (string | null)[],
  ): void {
    const targets = fields.map((field) => {
      const target = map.fields.get(field);
      if (target === undefined) throw invalidValue(field, 'is not known');
      return target;
    });
    const names: string[] = ['id'];
    for (const target of targets) {
      if (target.kind === 'column') names.push(target.column);
      else if (target.kind === 'tombstone') names.push('deleted_at');
      else if (target.kind === 'payment') names.push('payment_method', 'payment_details');
    }
    names.push(CLOCKS_COLUMN);
    const perInsert = Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor(MAX_PARAMS / names.length)));
    let params: SqlValue[] = [];
    let rows = 0;
    for (let row = 0; row < recordIds.length; row++) {
      const id = recordIds[row]!;
      try {
        params.push(id);
        for (let i = 0; i < targets.length; i++) {
          const target = targets[i]!;
          const field = fields[i]!;
          const value = columns[i]![row];
          switch (target.kind) {
            case 'column':
              params.push(columnValue(field, target, value));
              break;
            case 'tombstone':
              params.push(integerOrNull(field, value));
              break;
            case 'payment':
              params.push(...paymentValues(field, value));
              break;
            case 'children':
              this.#writeChildren(target, id, value, false);
              break;
            case 'settles':
              break;
          }
        }
      } catch (error) {
        if (isCofferError(error)) {
          throw new CofferError(error.code, `record ${id}: ${error.message}`, error.details);
        }
        throw error;
      }
      params.push(clocks[row] ?? null);
      if (++rows === perInsert) {
        this.#insertRows(map.spec.table, names, rows).run(...params);
        params = [];
        rows = 0;
      }
    }
    if (rows > 0) this.#insertRows(map.spec.table, names, rows).run(...params);
  }

  /**
   * One INSERT of `rows` rows of `names`, built once per shape and found again by a short
   * key: its text runs to kilobytes, which cost more to build and hash on every call than
   * the rows it was asked for (a bulk load asks ~1,600 times per 100k rows).
   */
  #insertRows(table: string, names: readonly string[], rows: number): Statement {
    const key = `${table}\u0000${names.join(',')}\u0000${rows}`;
    let statement = this.#insertStatements.get(key);
    if (statement === undefined) {
      const row = `(${names.map(() => '?').join(', ')})`;
      statement = this.#prepare(
        `INSERT INTO ${quote(table)} (${names.map(quote).join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`,
      );
      this.#insertStatements.set(key, statement);
    }
    return statement;
  }

  #writeChildren(
    target: FieldTarget & { kind: 'children' },
    parentId: string,
    value: unknown,
    parentExisted: boolean,
  ): void {
    const { child, columns } = target;
    if (!Array.isArray(value)) throw invalidValue(child.field, 'must be a list');
    // A record inserted just now has no child rows yet (they refer to it): nothing to clear.
    if (parentExisted) {
      this.#prepare(`DELETE FROM ${quote(child.table)} WHERE ${quote(child.parentColumn)} = ?`).run(
        parentId,
      );
    }
    value.forEach((item: unknown, position) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        throw invalidValue(child.field, 'must hold objects');
      }
      const names = [child.parentColumn, 'position'];
      const params: SqlValue[] = [parentId, position];
      for (const [key, v] of Object.entries(item as Record<string, unknown>)) {
        const column = columns.get(key);
        if (column === undefined) throw invalidValue(`${child.field}.${key}`, 'is not known');
        names.push(column.name);
        params.push(childValue(`${child.field}.${key}`, column, v));
      }
      this.#prepare(
        `INSERT INTO ${quote(child.table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      ).run(...params);
    });
  }

  /**
   * The INSERT of `names` into `table`. Records of one collection nearly always carry the
   * same fields in the same order, so the last one is compared name by name before any SQL
   * is built: a bulk load of 100k records builds it once.
   */
  #insert(table: string, names: readonly string[]): Statement {
    const last = this.#lastInsert.get(table);
    if (last !== undefined && sameNames(last.names, names)) return last.statement;
    const statement = this.#prepare(
      `INSERT INTO ${quote(table)} (id${names.map((n) => `, ${quote(n)}`).join('')}) VALUES (?${', ?'.repeat(names.length)})`,
    );
    this.#lastInsert.set(table, { names, statement });
    return statement;
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare<unknown[]>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/** Payment instructions as their two columns. */
function paymentValues(field: string, value: unknown): [string | null, string | null] {
  if (value === null) return [null, null];
  const p = value as { method?: unknown; details?: unknown };
  if (typeof value !== 'object' || typeof p.method !== 'string' || typeof p.details !== 'string') {
    throw invalidValue(field, 'must be null or { method, details }');
  }
  return [p.method, p.details];
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function columnValue(
  field: string,
  target: FieldTarget & { kind: 'column' },
  value: unknown,
): SqlValue {
  if (target.boolean) {
    if (typeof value !== 'boolean') throw invalidValue(field, 'must be true or false');
    return value ? 1 : 0;
  }
  return scalar(field, target.type, value);
}

function childValue(field: string, column: ColumnInfo, value: unknown): SqlValue {
  return scalar(field, column.type, value);
}

function scalar(field: string, type: string, value: unknown): SqlValue {
  if (value === null) return null;
  if (type === 'INTEGER') return integerOrNull(field, value);
  if (typeof value !== 'string') throw invalidValue(field, 'must be text');
  return value;
}

function integerOrNull(field: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidValue(field, 'must be a whole number');
  }
  return value;
}
