import type { Database } from '../vault/vault.js';
import { LOCAL_COLUMNS } from './export-tables.js';

export interface ColumnInfo {
  name: string;
  /** Declared type, upper case: 'TEXT', 'INTEGER', 'BLOB'. */
  type: string;
  notNull: boolean;
  /** Position in the primary key (1-based), 0 when not part of it. */
  pk: number;
}

export interface ForeignKeyInfo {
  /** The referenced (parent) table. */
  table: string;
  from: string;
  to: string;
  onDelete: string;
}

export type SqlRow = Record<string, unknown>;

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Table-generic SQL for export and restore. Table and column names come from the
 * schema (and, on import, are checked against it before use), never from free text.
 */
export class ExportRepository {
  constructor(private readonly db: Database) {}

  tableNames(): string[] {
    return this.db
      .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
  }

  /** The table's columns, without this vault's local ones (LOCAL_COLUMNS). */
  columns(table: string): ColumnInfo[] {
    return this.db
      .prepare<[string], { name: string; type: string; notnull: number; pk: number }>(
        'SELECT name, type, "notnull", pk FROM pragma_table_info(?)',
      )
      .all(table)
      .filter((c) => !LOCAL_COLUMNS.has(c.name))
      .map((c) => ({
        name: c.name,
        type: c.type.toUpperCase(),
        notNull: c.notnull === 1,
        pk: c.pk,
      }));
  }

  foreignKeys(table: string): ForeignKeyInfo[] {
    return this.db
      .prepare<[string], { table: string; from: string; to: string; on_delete: string }>(
        'SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)',
      )
      .all(table)
      .map((f) => ({
        table: f.table,
        from: f.from,
        to: f.to,
        onDelete: f.on_delete.toUpperCase(),
      }));
  }

  /** Every row, tombstones included, in primary-key order so exports are stable: `columns` only. */
  allRows(table: string, columns: readonly ColumnInfo[]): SqlRow[] {
    const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    const order = pk.length > 0 ? pk.map((c) => quote(c.name)).join(', ') : 'rowid';
    const names = columns.map((c) => quote(c.name)).join(', ');
    return this.db
      .prepare<[], SqlRow>(`SELECT ${names} FROM ${quote(table)} ORDER BY ${order}`)
      .all();
  }

  count(table: string): number {
    return Number(
      this.db
        .prepare(`SELECT count(*) FROM ${quote(table)}`)
        .pluck()
        .get(),
    );
  }

  insert(table: string, row: SqlRow): void {
    const names = Object.keys(row);
    this.db
      .prepare(
        `INSERT INTO ${quote(table)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
      )
      .run(...names.map((n) => row[n]));
  }

  /** Foreign keys must be checked at commit: quotes and invoices point at each other. */
  deferForeignKeys(): void {
    this.db.pragma('defer_foreign_keys = ON');
  }

  foreignKeyViolations(): { table: string; parent: string }[] {
    return this.db
      .prepare<[], { table: string; parent: string }>(
        'SELECT "table", parent FROM pragma_foreign_key_check',
      )
      .all();
  }

  schemaVersion(): number {
    return Number(this.db.pragma('user_version', { simple: true }));
  }
}
