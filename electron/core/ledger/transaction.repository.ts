import type { Transaction, TransactionSplit } from '../../../shared/domain/ledger.schema.js';
import type { StoredTransaction } from './record-fields.js';
import { StatementCache, type Db } from './statement-cache.js';

interface TransactionRow {
  id: string;
  account_id: string;
  date: string;
  amount_minor: number;
  currency: string;
  payee_id: string | null;
  payee_name: string | null;
  category_id: string | null;
  notes: string;
  import_id: string | null;
  import_batch: string | null;
  import_key: string | null;
  created_at: number;
  updated_at: number;
}

interface SplitRow {
  transaction_id: string;
  category_id: string;
  amount_minor: number;
  memo: string;
}

/** Resolved list filter: ids, not names; inclusive date bounds. */
export interface TransactionQuery {
  accountId?: string;
  categoryId?: string;
  from?: string;
  to?: string;
  /** Literal text in the payee name, notes or a split memo. */
  search?: string;
  limit: number;
  offset: number;
}

const SELECT = `SELECT t.id, t.account_id, t.date, t.amount_minor, t.currency, t.payee_id, p.name AS payee_name,
  t.category_id, t.notes, t.import_id, t.import_batch, t.import_key, t.created_at, t.updated_at
FROM transactions t LEFT JOIN payees p ON p.id = t.payee_id`;

const INSERT = `INSERT INTO transactions
  (id, account_id, date, amount_minor, currency, payee_id, category_id, notes, import_id, import_batch, import_key, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * Each key of the list probes the key's own index, and the account is tested on the row
 * found: the list drives the join, so SQLite does not first copy it into a temporary
 * index as it does for `IN (SELECT …)`, and `+` keeps the planner off the account's whole
 * date index. A key given twice may come back twice.
 */
export const EXISTING_IMPORT_KEYS = `SELECT t.import_key FROM json_each(?) AS wanted
  JOIN transactions AS t ON t.import_key = wanted.value
  WHERE t.import_key IS NOT NULL AND +t.account_id = ?`;

const INSERT_SPLIT = `INSERT INTO transaction_splits (transaction_id, position, category_id, amount_minor, memo)
VALUES (?, ?, ?, ?, ?)`;

function toTransaction(row: TransactionRow, splits: TransactionSplit[]): Transaction {
  return {
    id: row.id,
    accountId: row.account_id,
    date: row.date,
    amountMinor: row.amount_minor,
    currency: row.currency,
    payeeId: row.payee_id,
    payeeName: row.payee_name,
    categoryId: row.category_id,
    notes: row.notes,
    importId: row.import_id,
    importBatch: row.import_batch,
    importKey: row.import_key,
    splits,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toParams(t: StoredTransaction): Record<string, unknown> {
  return {
    id: t.id,
    accountId: t.accountId,
    date: t.date,
    amountMinor: t.amountMinor,
    currency: t.currency,
    payeeId: t.payeeId,
    categoryId: t.categoryId,
    notes: t.notes,
    importId: t.importId,
    importBatch: t.importBatch,
    importKey: t.importKey,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}

/** SQL for transactions and their splits. Reads skip tombstones. */
export class TransactionRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  /** Positional parameters: binding is a visible share of the bulk import's cost. */
  insert(t: StoredTransaction): void {
    this.sql
      .get(INSERT)
      .run(
        t.id,
        t.accountId,
        t.date,
        t.amountMinor,
        t.currency,
        t.payeeId,
        t.categoryId,
        t.notes,
        t.importId,
        t.importBatch,
        t.importKey,
        t.createdAt,
        t.updatedAt,
      );
    this.insertSplits(t.id, t.splits);
  }

  /** Whether the account has a transaction with this import id, tombstones included. */
  importIdExists(accountId: string, importId: string): boolean {
    return (
      this.sql
        .get<[string, string], { n: number }>(
          'SELECT count(*) AS n FROM transactions WHERE account_id = ? AND import_id = ?',
        )
        .get(accountId, importId)?.n === 1
    );
  }

  /**
   * Which of `importIds` the account already holds, tombstones included: one indexed query
   * for a whole batch instead of one round trip per row.
   */
  existingImportIds(accountId: string, importIds: readonly string[]): string[] {
    if (importIds.length === 0) return [];
    return this.sql
      .get<[string, string], string>(
        `SELECT import_id FROM transactions
         WHERE account_id = ? AND import_id IN (SELECT value FROM json_each(?))`,
      )
      .pluck()
      .all(accountId, JSON.stringify(importIds));
  }

  /**
   * Whether the account may hold a row with a content key, tombstones included: false only
   * when it surely holds none. Walks at most `maxRows` of the account's rows by its date
   * index, so a large account answers true ("may") at bounded cost instead of being read
   * whole.
   */
  mayHoldImportKeys(accountId: string, maxRows: number): boolean {
    const row = this.sql
      .get<[string, number], { seen: number; keyed: number }>(
        `SELECT count(*) AS seen, count(import_key) AS keyed
         FROM (SELECT import_key FROM transactions WHERE account_id = ? LIMIT ?)`,
      )
      .get(accountId, maxRows + 1);
    return row === undefined || row.seen > maxRows || row.keyed > 0;
  }

  /** Whether the account holds any transaction, tombstones included. */
  holdsAny(accountId: string): boolean {
    return (
      this.sql
        .get<[string], number>('SELECT 1 FROM transactions WHERE account_id = ? LIMIT 1')
        .pluck()
        .get(accountId) !== undefined
    );
  }

  /** Which of `importKeys` the account already holds, tombstones included (one query). */
  existingImportKeys(accountId: string, importKeys: readonly string[]): string[] {
    if (importKeys.length === 0) return [];
    return this.sql
      .get<[string, string], string>(EXISTING_IMPORT_KEYS)
      .pluck()
      .all(JSON.stringify(importKeys), accountId);
  }

  update(t: StoredTransaction): void {
    this.sql
      .get(
        `UPDATE transactions SET account_id = @accountId, date = @date, amount_minor = @amountMinor,
           currency = @currency, payee_id = @payeeId, category_id = @categoryId, notes = @notes,
           updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(toParams(t));
    this.sql.get('DELETE FROM transaction_splits WHERE transaction_id = ?').run(t.id);
    this.insertSplits(t.id, t.splits);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get(
        'UPDATE transactions SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(now, now, id);
  }

  findById(id: string): Transaction | undefined {
    const row = this.sql
      .get<[string], TransactionRow>(`${SELECT} WHERE t.id = ? AND t.deleted_at IS NULL`)
      .get(id);
    if (row === undefined) return undefined;
    const splits = this.sql
      .get<[string], SplitRow>(
        `SELECT transaction_id, category_id, amount_minor, memo FROM transaction_splits
         WHERE transaction_id = ? ORDER BY position`,
      )
      .all(id)
      .map(toSplit);
    return toTransaction(row, splits);
  }

  /** A page, newest first (date, then id, descending), splits included. */
  list(query: TransactionQuery): Transaction[] {
    const { where, params } = buildWhere(query);
    const rows = this.sql
      .get<[Record<string, unknown>], TransactionRow>(
        `${SELECT} WHERE ${where} ORDER BY t.date DESC, t.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: query.limit, offset: query.offset });
    const splits = this.splitsFor(rows.map((r) => r.id));
    return rows.map((row) => toTransaction(row, splits.get(row.id) ?? []));
  }

  count(query: Omit<TransactionQuery, 'limit' | 'offset'>): number {
    const { where, params } = buildWhere(query);
    return (
      this.sql
        .get<[Record<string, unknown>], { n: number }>(
          `SELECT count(*) AS n FROM transactions t WHERE ${where}`,
        )
        .get(params)?.n ?? 0
    );
  }

  private splitsFor(ids: readonly string[]): Map<string, TransactionSplit[]> {
    const byTransaction = new Map<string, TransactionSplit[]>();
    if (ids.length === 0) return byTransaction;
    const rows = this.sql
      .get<[string], SplitRow>(
        `SELECT transaction_id, category_id, amount_minor, memo FROM transaction_splits
         WHERE transaction_id IN (SELECT value FROM json_each(?)) ORDER BY transaction_id, position`,
      )
      .all(JSON.stringify(ids));
    for (const row of rows) {
      const list = byTransaction.get(row.transaction_id);
      if (list === undefined) byTransaction.set(row.transaction_id, [toSplit(row)]);
      else list.push(toSplit(row));
    }
    return byTransaction;
  }

  private insertSplits(transactionId: string, splits: readonly TransactionSplit[]): void {
    if (splits.length === 0) return;
    const insert = this.sql.get(INSERT_SPLIT);
    splits.forEach((s, position) => {
      insert.run(transactionId, position, s.categoryId, s.amountMinor, s.memo);
    });
  }
}

function toSplit(row: SplitRow): TransactionSplit {
  return { categoryId: row.category_id, amountMinor: row.amount_minor, memo: row.memo };
}

function buildWhere(query: Omit<TransactionQuery, 'limit' | 'offset'>): {
  where: string;
  params: Record<string, unknown>;
} {
  const clauses = ['t.deleted_at IS NULL'];
  const params: Record<string, unknown> = {};
  if (query.accountId !== undefined) {
    clauses.push('t.account_id = @accountId');
    params.accountId = query.accountId;
  }
  if (query.from !== undefined) {
    clauses.push('t.date >= @from');
    params.from = query.from;
  }
  if (query.to !== undefined) {
    clauses.push('t.date <= @to');
    params.to = query.to;
  }
  if (query.categoryId !== undefined) {
    clauses.push(
      `(t.category_id = @categoryId OR t.id IN
         (SELECT transaction_id FROM transaction_splits WHERE category_id = @categoryId))`,
    );
    params.categoryId = query.categoryId;
  }
  if (query.search !== undefined) {
    // LIKE's own wildcards in the user's text are escaped so they match themselves.
    clauses.push(
      `(t.notes LIKE @search ESCAPE '\\'
        OR t.payee_id IN (SELECT id FROM payees WHERE name LIKE @search ESCAPE '\\')
        OR t.id IN (SELECT transaction_id FROM transaction_splits WHERE memo LIKE @search ESCAPE '\\'))`,
    );
    params.search = `%${escapeLike(query.search)}%`;
  }
  return { where: clauses.join(' AND '), params };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
