import type { TransactionReview } from '../../../shared/domain/import.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface ReviewRow {
  id: string;
  transaction_id: string;
  reason: 'possible_duplicate';
  related_transaction_id: string | null;
  detail: string;
  resolution: 'kept' | 'deleted' | null;
  created_at: number;
  updated_at: number;
}

/** A live transaction an imported row may repeat. */
export interface DuplicateCandidate {
  id: string;
  date: string;
  payeeName: string | null;
  importBatch: string | null;
}

const COLUMNS =
  'id, transaction_id, reason, related_transaction_id, detail, resolution, created_at, updated_at';

function toReview(row: ReviewRow): TransactionReview {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    reason: row.reason,
    relatedTransactionId: row.related_transaction_id,
    detail: row.detail,
    resolution: row.resolution,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** SQL for review flags, and the search for a row's possible duplicates. Reads skip tombstones. */
export class TransactionReviewRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(r: TransactionReview): void {
    this.sql
      .get(
        `INSERT INTO transaction_reviews (${COLUMNS})
         VALUES (@id, @transactionId, @reason, @relatedTransactionId, @detail, @resolution, @createdAt, @updatedAt)`,
      )
      .run(r);
  }

  resolve(id: string, resolution: 'kept' | 'deleted', now: number): void {
    this.sql
      .get(
        'UPDATE transaction_reviews SET resolution = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL',
      )
      .run(resolution, now, id);
  }

  findById(id: string): TransactionReview | undefined {
    const row = this.sql
      .get<[string], ReviewRow>(
        `SELECT ${COLUMNS} FROM transaction_reviews WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toReview(row);
  }

  /** A flag on a transaction deleted since is moot: open means its transaction is live. */
  listOpen(): TransactionReview[] {
    return this.sql
      .get<[], ReviewRow>(
        `SELECT ${COLUMNS} FROM transaction_reviews r
         WHERE r.resolution IS NULL AND r.deleted_at IS NULL
           AND EXISTS (SELECT 1 FROM transactions t WHERE t.id = r.transaction_id AND t.deleted_at IS NULL)
         ORDER BY r.created_at, r.id`,
      )
      .all()
      .map(toReview);
  }

  openCount(): number {
    return (
      this.sql
        .get<[], { n: number }>(
          `SELECT count(*) AS n FROM transaction_reviews r
           WHERE r.resolution IS NULL AND r.deleted_at IS NULL
             AND EXISTS (SELECT 1 FROM transactions t WHERE t.id = r.transaction_id AND t.deleted_at IS NULL)`,
        )
        .get()?.n ?? 0
    );
  }

  /** The dates an account's live transactions span, or null when it has none. */
  dateSpan(accountId: string): { first: string; last: string } | null {
    const row = this.sql
      .get<[string], { first: string | null; last: string | null }>(
        `SELECT min(date) AS first, max(date) AS last FROM transactions
         WHERE account_id = ? AND deleted_at IS NULL`,
      )
      .get(accountId);
    return row?.first == null || row.last == null ? null : { first: row.first, last: row.last };
  }

  /** The newest transaction rowid: rows inserted later have larger ones. */
  lastTransactionRowid(): number {
    return (
      this.sql.get<[], { n: number | null }>('SELECT max(rowid) AS n FROM transactions').get()?.n ??
      0
    );
  }

  /**
   * Live transactions of the account with this amount dated within [from, to] that existed
   * before rowid `before` was passed, nearest date first. Uses the (account_id, date) index.
   */
  candidates(
    accountId: string,
    amountMinor: number,
    date: string,
    window: { from: string; to: string; beforeRowid: number },
  ): DuplicateCandidate[] {
    return this.sql
      .get<[string, string, string, number, number, string], DuplicateCandidate>(
        `SELECT t.id, t.date, p.name AS payeeName, t.import_batch AS importBatch
         FROM transactions t LEFT JOIN payees p ON p.id = t.payee_id
         WHERE t.account_id = ? AND t.date >= ? AND t.date <= ? AND t.amount_minor = ?
           AND t.rowid <= ? AND t.deleted_at IS NULL
         ORDER BY abs(julianday(t.date) - julianday(?)), t.id LIMIT 50`,
      )
      .all(accountId, window.from, window.to, amountMinor, window.beforeRowid, date);
  }
}
