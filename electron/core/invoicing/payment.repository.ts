import type {
  Payment,
  PaymentAllocation,
  PaymentMethod,
} from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';

interface PaymentRow {
  id: string;
  client_id: string | null;
  date: string;
  amount_minor: number;
  currency: string;
  method: PaymentMethod;
  reference: string;
  account_id: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, client_id, date, amount_minor, currency, method, reference, account_id, created_at, updated_at';

/** SQL for payments and their allocations. Reads skip tombstones. */
export class PaymentRepository {
  private readonly sql: StatementCache;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
  }

  insert(p: Payment): void {
    this.sql
      .get(
        `INSERT INTO payments (${COLUMNS})
         VALUES (@id, @clientId, @date, @amountMinor, @currency, @method, @reference, @accountId, @createdAt, @updatedAt)`,
      )
      .run({
        id: p.id,
        clientId: p.clientId,
        date: p.date,
        amountMinor: p.amountMinor,
        currency: p.currency,
        method: p.method,
        reference: p.reference,
        accountId: p.accountId,
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
      });
    const insert = this.sql.get(
      'INSERT INTO payment_allocations (payment_id, invoice_id, position, amount_minor) VALUES (?, ?, ?, ?)',
    );
    p.allocations.forEach((a, position) => insert.run(p.id, a.invoiceId, position, a.amountMinor));
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE payments SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  findById(id: string): Payment | undefined {
    const row = this.sql
      .get<[string], PaymentRow>(
        `SELECT ${COLUMNS} FROM payments WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : toPayment(row, this.allocationsOf(row.id));
  }

  /** Live payments, newest first; optionally only those of a client or touching an invoice. */
  list(filter: { clientId?: string; invoiceId?: string } = {}): Payment[] {
    const rows = this.sql
      .get<[{ clientId: string | null; invoiceId: string | null }], PaymentRow>(
        `SELECT ${COLUMNS} FROM payments p
         WHERE deleted_at IS NULL
           AND (@clientId IS NULL OR client_id = @clientId)
           AND (@invoiceId IS NULL OR EXISTS (SELECT 1 FROM payment_allocations a WHERE a.payment_id = p.id AND a.invoice_id = @invoiceId))
         ORDER BY date DESC, id DESC`,
      )
      .all({
        clientId: filter.clientId ?? null,
        invoiceId: filter.invoiceId ?? null,
      });
    return rows.map((row) => toPayment(row, this.allocationsOf(row.id)));
  }

  private allocationsOf(paymentId: string): PaymentAllocation[] {
    return this.sql
      .get<[string], { invoice_id: string; amount_minor: number }>(
        'SELECT invoice_id, amount_minor FROM payment_allocations WHERE payment_id = ? ORDER BY position',
      )
      .all(paymentId)
      .map((r) => ({ invoiceId: r.invoice_id, amountMinor: r.amount_minor }));
  }
}

function toPayment(row: PaymentRow, allocations: PaymentAllocation[]): Payment {
  return {
    id: row.id,
    clientId: row.client_id,
    date: row.date,
    amountMinor: row.amount_minor,
    currency: row.currency,
    method: row.method,
    reference: row.reference,
    allocations,
    accountId: row.account_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
