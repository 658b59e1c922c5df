import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { fromSqliteError } from '../vault/sqlite-errors.js';
import type { Vault } from '../vault/vault.js';
import { changeFields } from './change-fields.js';
import { ExportDocumentSchema, type ExportDocument, type ExportRow } from './export-document.js';
import { EXPORTED_TABLES, RECORD_SPECS, type ExportedTable } from './export-tables.js';
import { ExportRepository, type ColumnInfo, type SqlRow } from './export.repository.js';

/** Exports hold attachments; this bounds what JSON.parse is asked to hold in memory. */
export const MAX_EXPORT_FILE_BYTES = 512 * 1024 * 1024;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Restores an export into an EMPTY vault (INVALID_STATE otherwise: merging two vaults'
 * records is not something an import may guess at). The document is validated first
 * (shape with zod, then every table, column and value against this vault's schema), then
 * written in one transaction, every record also recorded as a sync change, so a restored
 * vault syncs like one whose records were typed in. Any error writes nothing.
 * Returns the row count per table.
 */
export function importExport(vault: Vault, input: unknown): Record<string, number> {
  const doc = parseDocument(input);
  const repo = new ExportRepository(vault.db);
  const current = repo.schemaVersion();
  if (doc.schemaVersion > current) {
    throw new CofferError(
      'INVALID_INPUT',
      `The export was made by a newer Coffer (schema ${doc.schemaVersion}; this vault is at ${current}); update Coffer to import it`,
      { schemaVersion: doc.schemaVersion, vaultSchemaVersion: current },
    );
  }
  const tables = validateTables(repo, doc);

  return vault.transaction(() => {
    const occupied = EXPORTED_TABLES.filter((table) => repo.count(table) > 0);
    if (occupied.length > 0) {
      throw new CofferError(
        'INVALID_STATE',
        `The vault is not empty (it holds ${occupied.join(', ')}); import an export into a new vault`,
        { tables: occupied },
      );
    }
    repo.deferForeignKeys();
    const counts: Record<string, number> = {};
    for (const table of EXPORTED_TABLES) {
      const rows = tables.get(table) ?? [];
      rows.forEach((row, index) => {
        try {
          repo.insert(table, row);
        } catch (err) {
          throw rowError(table, index, err);
        }
      });
      counts[table] = rows.length;
    }
    recordChanges(vault, tables);
    const violation = repo.foreignKeyViolations()[0];
    if (violation !== undefined) {
      throw new CofferError(
        'INVALID_INPUT',
        `collections.${violation.table}: a row refers to a ${violation.parent} row that is not in the export`,
        { table: violation.table, parent: violation.parent },
      );
    }
    return counts;
  });
}

/**
 * A row the vault refused (a duplicate id, a broken rule) is the export's fault and names
 * the row; a full disk or a busy vault is not, and keeps its own code. The driver's text
 * never appears: it quotes the statement.
 */
function rowError(table: string, index: number, err: unknown): unknown {
  const cause = fromSqliteError(err);
  if (!isCofferError(cause)) return cause;
  if (!ROW_FAULTS.has(cause.code)) return cause;
  return new CofferError('INVALID_INPUT', `collections.${table}[${index}]: ${cause.message}`, {
    table,
    index,
    cause: cause.code,
  });
}

const ROW_FAULTS: ReadonlySet<string> = new Set(['DUPLICATE', 'INVALID_INPUT', 'INVALID_STATE']);

/** Zod's issues, capped: a broken 100 MB export must not produce a 100 MB error. */
function parseDocument(input: unknown): ExportDocument {
  const result = ExportDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 20)
    .map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = issues[0];
  throw new CofferError(
    'INVALID_INPUT',
    `Not a Coffer export: ${first === undefined ? 'invalid' : `${first.path === '' ? '' : `${first.path}: `}${first.message}`}`,
    { issues, issueCount: result.error.issues.length },
  );
}

/** Reads and parses an export file (size-checked before reading), for `importExport`. */
export async function readExportFile(file: string): Promise<unknown> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    throw new CofferError('FILE_NOT_FOUND', `${file} does not exist or cannot be read`, { file });
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_EXPORT_FILE_BYTES) {
      throw new CofferError(
        'FILE_TOO_LARGE',
        `${file} is larger than ${MAX_EXPORT_FILE_BYTES / (1024 * 1024)} MiB`,
        { file, size },
      );
    }
    const text = await handle.readFile('utf8');
    try {
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      throw new CofferError(
        'INVALID_INPUT',
        `${file} is not valid JSON: ${(err as Error).message}`,
        { file },
      );
    }
  } finally {
    await handle.close();
  }
}

/** Checks every table, column and value before anything is written; decodes BLOBs. */
function validateTables(repo: ExportRepository, doc: ExportDocument): Map<ExportedTable, SqlRow[]> {
  const known = new Set<string>(EXPORTED_TABLES);
  const tables = new Map<ExportedTable, SqlRow[]>();
  for (const [table, rows] of Object.entries(doc.collections)) {
    if (!known.has(table)) {
      throw new CofferError(
        'INVALID_INPUT',
        `collections.${table}: not a table an export can hold`,
        { table },
      );
    }
    const columns = new Map(repo.columns(table).map((c) => [c.name, c]));
    tables.set(
      table as ExportedTable,
      rows.map((row, index) => decodeRow(table, index, row, columns)),
    );
  }
  for (const row of tables.get('attachments') ?? []) checkAttachment(row);
  return tables;
}

function decodeRow(
  table: string,
  index: number,
  row: ExportRow,
  columns: ReadonlyMap<string, ColumnInfo>,
): SqlRow {
  const at = `collections.${table}[${index}]`;
  const out: SqlRow = {};
  for (const [name, value] of Object.entries(row)) {
    const column = columns.get(name);
    if (column === undefined)
      throw new CofferError('INVALID_INPUT', `${at}: unknown column "${name}"`, { table, index });
    if (value === null) {
      out[name] = null;
    } else if (column.type === 'BLOB') {
      if (typeof value !== 'string' || !BASE64.test(value)) {
        throw new CofferError('INVALID_INPUT', `${at}.${name}: must be base64 text`, {
          table,
          index,
        });
      }
      out[name] = Buffer.from(value, 'base64');
    } else if (column.type === 'INTEGER') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new CofferError('INVALID_INPUT', `${at}.${name}: must be a whole number`, {
          table,
          index,
        });
      }
      out[name] = value;
    } else {
      if (typeof value !== 'string') {
        throw new CofferError('INVALID_INPUT', `${at}.${name}: must be text`, { table, index });
      }
      out[name] = value;
    }
  }
  return out;
}

/** An attachment's bytes must be the ones its size and SHA-256 describe. */
function checkAttachment(row: SqlRow): void {
  const content = row.content;
  if (!Buffer.isBuffer(content)) return; // a deleted attachment has no bytes
  const sha256 = createHash('sha256').update(content).digest('hex');
  if (content.byteLength !== row.size || sha256 !== row.sha256) {
    throw new CofferError(
      'INVALID_INPUT',
      `collections.attachments: attachment ${String(row.id)} does not match its size and SHA-256`,
      {
        id: row.id,
      },
    );
  }
}

function recordChanges(vault: Vault, tables: ReadonlyMap<ExportedTable, SqlRow[]>): void {
  for (const spec of RECORD_SPECS) {
    const childrenByParent = new Map<unknown, Map<string, SqlRow[]>>();
    for (const child of spec.children ?? []) {
      for (const row of tables.get(child.table) ?? []) {
        const parentId = row[child.parentColumn];
        let byField = childrenByParent.get(parentId);
        if (byField === undefined)
          childrenByParent.set(parentId, (byField = new Map<string, SqlRow[]>()));
        const list = byField.get(child.field);
        if (list === undefined) byField.set(child.field, [row]);
        else list.push(row);
      }
    }
    for (const row of tables.get(spec.table) ?? []) {
      const id = String(row.id);
      const fields = changeFields(spec, row, childrenByParent.get(row.id) ?? new Map());
      vault.changes.record(spec.collection, id, 'upsert', fields);
      if (typeof row.deleted_at === 'number') {
        vault.changes.record(spec.collection, id, 'delete', {
          deletedAt: row.deleted_at,
          updatedAt: row.updated_at,
        });
      }
    }
  }
}
