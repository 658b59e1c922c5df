import type { Receipt } from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface ReceiptRow {
  id: string;
  transaction_id: string | null;
  date: string;
  merchant: string;
  amount_minor: number | null;
  currency: string | null;
  attachment_id: string;
  notes: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, transaction_id, date, merchant, amount_minor, currency, attachment_id, notes, created_at, updated_at';

/** SQL for the receipts table. Reads skip tombstones. */
export class ReceiptRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(r: Receipt): void {
    this.sql
      .get(
        `INSERT INTO receipts (${COLUMNS})
         VALUES (@id, @transactionId, @date, @merchant, @amountMinor, @currency, @attachmentId, @notes, @createdAt, @updatedAt)`,
      )
      .run(r);
  }

  update(r: Receipt): void {
    this.sql
      .get(
        `UPDATE receipts SET transaction_id = @transactionId, date = @date, merchant = @merchant, amount_minor = @amountMinor,
           currency = @currency, attachment_id = @attachmentId, notes = @notes, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(r);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE receipts SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  findById(id: string): Receipt | undefined {
    const row = this.sql
      .get<[string], ReceiptRow>(
        `SELECT ${COLUMNS} FROM receipts WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toReceipt(row);
  }

  /** Live receipts, newest first, optionally within [from, to] and/or of one transaction. */
  list(filter: { from?: string; to?: string; transactionId?: string } = {}): Receipt[] {
    return this.sql
      .get<
        [
          {
            from: string | null;
            to: string | null;
            transactionId: string | null;
          },
        ],
        ReceiptRow
      >(
        `SELECT ${COLUMNS} FROM receipts
         WHERE deleted_at IS NULL
           AND (@from IS NULL OR date >= @from) AND (@to IS NULL OR date <= @to)
           AND (@transactionId IS NULL OR transaction_id = @transactionId)
         ORDER BY date DESC, id DESC`,
      )
      .all({
        from: filter.from ?? null,
        to: filter.to ?? null,
        transactionId: filter.transactionId ?? null,
      })
      .map(toReceipt);
  }

  /** The live transaction's currency, or undefined when there is no such transaction. */
  transactionCurrency(transactionId: string): string | undefined {
    return this.sql
      .get<[string], { currency: string }>(
        'SELECT currency FROM transactions WHERE id = ? AND deleted_at IS NULL',
      )
      .get(transactionId)?.currency;
  }
}

function toReceipt(row: ReceiptRow): Receipt {
  return {
    id: row.id,
    transactionId: row.transaction_id,
    date: row.date,
    merchant: row.merchant,
    amountMinor: row.amount_minor,
    currency: row.currency,
    attachmentId: row.attachment_id,
    notes: row.notes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
