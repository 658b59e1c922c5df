import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { Vault } from '../vault/vault.js';
import { writeFileAtomic } from './atomic-file.js';
import { collectText } from './collect-text.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportCell,
  type ExportDocument,
  type ExportRow,
} from './export-document.js';
import { EXPORTED_TABLES, type ExportedTable } from './export-tables.js';
import {
  ExportRepository,
  type ColumnInfo,
  type ForeignKeyInfo,
  type SqlRow,
} from './export.repository.js';

interface TableData {
  table: ExportedTable;
  columns: ColumnInfo[];
  foreignKeys: ForeignKeyInfo[];
  rows: SqlRow[];
  hasTombstones: boolean;
}

/**
 * The whole vault as one JSON-ready document (format in export-document.ts), read in one
 * transaction so it is a consistent snapshot.
 */
export function exportVault(vault: Vault): ExportDocument {
  const repo = new ExportRepository(vault.db);
  return vault.db
    .transaction(() => {
      const tables = EXPORTED_TABLES.map((table): TableData => {
        const columns = repo.columns(table);
        return {
          table,
          columns,
          foreignKeys: repo.foreignKeys(table),
          rows: repo.allRows(table, columns),
          hasTombstones: columns.some((c) => c.name === 'deleted_at'),
        };
      });
      const included = selectRows(tables);
      const collections: Record<string, ExportRow[]> = {};
      for (const data of tables) {
        collections[data.table] = data.rows
          .filter((row) => included.has(row))
          .map((row) => encodeRow(data, row));
      }
      return {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: new Date(vault.now()).toISOString(),
        schemaVersion: repo.schemaVersion(),
        collections,
      } satisfies ExportDocument;
    })
    .deferred();
}

/**
 * Writes the export to `file` atomically with mode 0600 (it is plaintext user data:
 * callers should warn the user). One row per line keeps big exports streamable and
 * diffable. Returns the row count per table.
 */
export function writeExport(vault: Vault, file: string): Record<string, number> {
  const doc = exportVault(vault);
  writeFileAtomic(file, (put) => putExport(doc, put));
  return rowCounts(doc);
}

/**
 * The same export as `writeExport`, held in memory and never written to disk: what the app
 * hands its window to save. Refused with FILE_TOO_LARGE past `maxBytes`.
 */
export function exportVaultText(
  vault: Vault,
  maxBytes: number,
): { text: string; records: Record<string, number> } {
  const doc = exportVault(vault);
  const text = collectText((put) => putExport(doc, put), maxBytes, 'The vault export');
  return { text, records: rowCounts(doc) };
}

function putExport(doc: ExportDocument, put: (chunk: string) => void): void {
  put('{\n');
  put(`  "format": ${JSON.stringify(doc.format)},\n`);
  put(`  "version": ${JSON.stringify(doc.version)},\n`);
  put(`  "exportedAt": ${JSON.stringify(doc.exportedAt)},\n`);
  put(`  "schemaVersion": ${JSON.stringify(doc.schemaVersion)},\n`);
  put('  "collections": {');
  Object.entries(doc.collections).forEach(([table, rows], t) => {
    put(`${t === 0 ? '' : ','}\n    ${JSON.stringify(table)}: [`);
    rows.forEach((row, i) => put(`${i === 0 ? '' : ','}\n      ${JSON.stringify(row)}`));
    put(rows.length === 0 ? ']' : '\n    ]');
  });
  put('\n  }\n}\n');
}

function rowCounts(doc: ExportDocument): Record<string, number> {
  return Object.fromEntries(
    Object.entries(doc.collections).map(([table, rows]) => [table, rows.length]),
  );
}

/**
 * Live rows, plus what keeps references whole:
 * - a child row (table without deleted_at) goes with its owner (ON DELETE CASCADE parent),
 *   so the lines of a deleted invoice stay behind with it;
 * - a tombstoned row still referenced by an exported row is exported too (sync merges can
 *   leave a live transaction pointing at a payee deleted on another device).
 * Repeats until nothing changes; in practice once or twice.
 */
function selectRows(tables: readonly TableData[]): Set<SqlRow> {
  const byTable = new Map(tables.map((t) => [t.table as string, t]));
  const index = new Map<string, Map<unknown, SqlRow>>();
  const lookup = (table: string, column: string, value: unknown): SqlRow | undefined => {
    const key = `${table}.${column}`;
    let map = index.get(key);
    if (map === undefined) {
      map = new Map((byTable.get(table)?.rows ?? []).map((r) => [r[column], r]));
      index.set(key, map);
    }
    return map.get(value);
  };

  const included = new Set<SqlRow>();
  for (const data of tables) {
    if (data.hasTombstones)
      for (const row of data.rows) if (row.deleted_at === null) included.add(row);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const data of tables) {
      if (!data.hasTombstones) {
        const owners = data.foreignKeys.filter((fk) => fk.onDelete === 'CASCADE');
        for (const row of data.rows) {
          if (included.has(row)) continue;
          const ownerRows = owners.map((fk) => lookup(fk.table, fk.to, row[fk.from]));
          if (ownerRows.every((owner) => owner !== undefined && included.has(owner))) {
            included.add(row);
            changed = true;
          }
        }
      }
      for (const row of data.rows) {
        if (!included.has(row)) continue;
        for (const fk of data.foreignKeys) {
          const value = row[fk.from];
          if (value === null || value === undefined) continue;
          const parent = lookup(fk.table, fk.to, value);
          if (parent !== undefined && !included.has(parent)) {
            included.add(parent);
            changed = true;
          }
        }
      }
    }
  }
  return included;
}

function encodeRow(data: TableData, row: SqlRow): ExportRow {
  const out: ExportRow = {};
  for (const column of data.columns) {
    out[column.name] = encodeCell(data.table, column, row[column.name]);
  }
  return out;
}

function encodeCell(table: string, column: ColumnInfo, value: unknown): ExportCell {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    if (column.type !== 'BLOB') {
      throw new CofferError(
        'INTERNAL',
        `${table}.${column.name} holds bytes but is not a BLOB column`,
      );
    }
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value);
  throw new CofferError(
    'INTERNAL',
    `${table}.${column.name} holds a value that cannot be exported`,
  );
}
