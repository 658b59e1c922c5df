/**
 * Loads the synthetic dataset into a migrated database with plain SQL: multi-row INSERTs
 * of up to BATCH_ROWS rows, committed every COMMIT_ROWS transactions. Every engine is
 * loaded by this same code with the same statements, so the databases the read rows
 * measure hold identical rows in the same physical order.
 *
 * This is set-up, not a measurement: it bypasses the services (no outbox, no
 * record_clocks rows), which the read paths never touch.
 */
import {
  SPLIT_COLUMNS,
  TRANSACTION_COLUMNS,
  referenceData,
  transactions,
  type SplitTuple,
  type TransactionTuple,
} from './dataset.js';

/** The two calls the loader needs; sync engines return void, async ones a promise. */
export interface BulkSink {
  exec(sql: string): void | Promise<void>;
  /** Runs `sql` with positional parameters; the sink may cache the prepared statement. */
  run(sql: string, params: readonly unknown[]): void | Promise<void>;
}

export const BATCH_ROWS = 500;
const COMMIT_ROWS = 50_000;

export interface LoadOptions {
  /** Transactions to generate (0 loads only accounts, categories, payees and budgets). */
  count: number;
  seed?: number;
  /** Called after each commit with the number of transactions loaded so far. */
  onProgress?: (loaded: number) => void;
}

const insertSql = new Map<string, string>();

export function multiRowInsert(table: string, columns: readonly string[], rows: number): string {
  const cacheKey = `${table}|${columns.join(',')}|${rows}`;
  let sql = insertSql.get(cacheKey);
  if (sql === undefined) {
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`;
    insertSql.set(cacheKey, sql);
  }
  return sql;
}

export async function loadDataset(sink: BulkSink, options: LoadOptions): Promise<void> {
  await sink.exec('BEGIN IMMEDIATE');
  await loadReferenceData(sink);
  let pendingTransactions: TransactionTuple[] = [];
  let pendingSplits: SplitTuple[] = [];
  let loaded = 0;

  const flush = async (): Promise<void> => {
    await insertRows(sink, 'transactions', TRANSACTION_COLUMNS, pendingTransactions);
    // Splits after their transactions: the foreign key is checked row by row.
    await insertRows(sink, 'transaction_splits', SPLIT_COLUMNS, pendingSplits);
    pendingTransactions = [];
    pendingSplits = [];
  };

  for (const generated of transactions(options.count, options.seed)) {
    pendingTransactions.push(generated.row);
    pendingSplits.push(...generated.splits);
    loaded += 1;
    if (pendingTransactions.length === BATCH_ROWS) await flush();
    if (loaded % COMMIT_ROWS === 0) {
      await flush();
      await sink.exec('COMMIT');
      options.onProgress?.(loaded);
      await sink.exec('BEGIN IMMEDIATE');
    }
  }
  await flush();
  await sink.exec('COMMIT');
  options.onProgress?.(loaded);
}

async function loadReferenceData(sink: BulkSink): Promise<void> {
  const reference = referenceData();
  await insertRows(
    sink,
    'accounts',
    [
      'id',
      'name',
      'currency',
      'kind',
      'opening_balance_minor',
      'archived',
      'created_at',
      'updated_at',
    ],
    reference.accounts.map((a) => [
      a.id,
      a.name,
      a.currency,
      a.kind,
      a.opening_balance_minor,
      0,
      a.created_at,
      a.created_at,
    ]),
  );
  await insertRows(
    sink,
    'categories',
    ['id', 'name', 'kind', 'parent_id', 'archived', 'created_at', 'updated_at'],
    reference.categories.map((c) => [c.id, c.name, c.kind, null, 0, c.created_at, c.created_at]),
  );
  await insertRows(
    sink,
    'payees',
    ['id', 'name', 'created_at', 'updated_at'],
    reference.payees.map((p) => [p.id, p.name, p.created_at, p.created_at]),
  );
  await insertRows(
    sink,
    'budgets',
    ['id', 'month', 'category_id', 'amount_minor', 'currency', 'created_at', 'updated_at'],
    reference.budgets.map((b) => [
      b.id,
      b.month,
      b.category_id,
      b.amount_minor,
      b.currency,
      b.created_at,
      b.created_at,
    ]),
  );
}

async function insertRows(
  sink: BulkSink,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    await sink.run(multiRowInsert(table, columns, batch.length), batch.flat());
  }
}
