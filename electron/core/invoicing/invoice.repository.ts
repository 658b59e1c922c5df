import type {
  Invoice,
  InvoiceStatus,
  PaymentMethod,
} from '../../../shared/domain/invoicing.schema.js';
import type { InvoicePaymentRow } from '../../../shared/domain/invoicing.views.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';
import { DocumentLinesRepository } from './document-lines.repository.js';

export type { InvoicePaymentRow } from '../../../shared/domain/invoicing.views.js';

interface InvoiceRow {
  id: string;
  client_id: string;
  number: string | null;
  currency: string;
  issue_date: string | null;
  due_date: string | null;
  status: InvoiceStatus;
  payment_method: PaymentMethod | null;
  payment_details: string | null;
  notes: string;
  quote_id: string | null;
  schedule_id: string | null;
  deposit_minor: number | null;
  deposit_ppm: number | null;
  deposit_due_date: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, client_id, number, currency, issue_date, due_date, status, payment_method, payment_details, notes, quote_id, schedule_id, deposit_minor, deposit_ppm, deposit_due_date, created_at, updated_at';

function toParams(i: Invoice): Record<string, unknown> {
  return {
    id: i.id,
    clientId: i.clientId,
    number: i.number,
    currency: i.currency,
    issueDate: i.issueDate,
    dueDate: i.dueDate,
    status: i.status,
    paymentMethod: i.paymentInstructions?.method ?? null,
    paymentDetails: i.paymentInstructions?.details ?? null,
    notes: i.notes,
    quoteId: i.quoteId,
    scheduleId: i.scheduleId,
    depositMinor: i.depositMinor,
    depositPpm: i.depositPpm,
    depositDueDate: i.depositDueDate,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/** SQL for invoices and their lines. Reads skip tombstones. */
export class InvoiceRepository {
  private readonly sql: StatementCache;
  private readonly lines: DocumentLinesRepository;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
    this.lines = new DocumentLinesRepository(db, 'invoice_lines');
  }

  insert(invoice: Invoice): void {
    this.sql
      .get(
        `INSERT INTO invoices (${COLUMNS})
         VALUES (@id, @clientId, @number, @currency, @issueDate, @dueDate, @status, @paymentMethod, @paymentDetails,
                 @notes, @quoteId, @scheduleId, @depositMinor, @depositPpm, @depositDueDate, @createdAt, @updatedAt)`,
      )
      .run(toParams(invoice));
    this.lines.replace(invoice.id, invoice.lines);
  }

  /** Writes every column; lines only when `withLines` (they are rewritten as a whole). */
  update(invoice: Invoice, withLines: boolean): void {
    this.sql
      .get(
        `UPDATE invoices SET client_id = @clientId, number = @number, currency = @currency, issue_date = @issueDate,
           due_date = @dueDate, status = @status, payment_method = @paymentMethod, payment_details = @paymentDetails,
           notes = @notes, quote_id = @quoteId, schedule_id = @scheduleId, deposit_minor = @depositMinor,
           deposit_ppm = @depositPpm, deposit_due_date = @depositDueDate, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(toParams(invoice));
    if (withLines) this.lines.replace(invoice.id, invoice.lines);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE invoices SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  findById(id: string): Invoice | undefined {
    const row = this.sql
      .get<[string], InvoiceRow>(
        `SELECT ${COLUMNS} FROM invoices WHERE id = ? AND deleted_at IS NULL`,
      )
      .get(id);
    return row === undefined ? undefined : this.toInvoice(row, this.lines.listFor(row.id));
  }

  /** Numbers compare case-insensitively: "inv-0001" finds INV-0001. */
  findByNumber(number: string): Invoice | undefined {
    const row = this.sql
      .get<[string], InvoiceRow>(
        `SELECT ${COLUMNS} FROM invoices WHERE number = ? COLLATE NOCASE AND deleted_at IS NULL`,
      )
      .get(number);
    return row === undefined ? undefined : this.toInvoice(row, this.lines.listFor(row.id));
  }

  /** Any row, tombstones included: a number is never handed out twice. */
  isNumberTaken(number: string): boolean {
    return (
      (this.sql
        .get<[string], { n: number }>(
          'SELECT count(*) AS n FROM invoices WHERE number = ? COLLATE NOCASE',
        )
        .get(number)?.n ?? 0) > 0
    );
  }

  /** Live invoices, newest issue first, drafts (no issue date) first of all. */
  list(filter: { clientId?: string } = {}): Invoice[] {
    const lines = this.lines.listForLiveParents();
    const rows =
      filter.clientId === undefined
        ? this.sql
            .get<[], InvoiceRow>(
              `SELECT ${COLUMNS} FROM invoices WHERE deleted_at IS NULL
               ORDER BY issue_date IS NOT NULL, issue_date DESC, number DESC, id DESC`,
            )
            .all()
        : this.sql
            .get<[string], InvoiceRow>(
              `SELECT ${COLUMNS} FROM invoices WHERE deleted_at IS NULL AND client_id = ?
               ORDER BY issue_date IS NOT NULL, issue_date DESC, number DESC, id DESC`,
            )
            .all(filter.clientId);
    return rows.map((row) => this.toInvoice(row, lines.get(row.id) ?? []));
  }

  /** Σ live payment allocations for one invoice. */
  paidMinor(invoiceId: string): number {
    return (
      this.sql
        .get<[string], { paid: number }>(
          `SELECT coalesce(sum(a.amount_minor), 0) AS paid
           FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
           WHERE a.invoice_id = ? AND p.deleted_at IS NULL`,
        )
        .get(invoiceId)?.paid ?? 0
    );
  }

  /** Σ live payment allocations per invoice, for lists. */
  paidByInvoice(): Map<string, number> {
    const rows = this.sql
      .get<[], { invoice_id: string; paid: number }>(
        `SELECT a.invoice_id, sum(a.amount_minor) AS paid
         FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
         WHERE p.deleted_at IS NULL GROUP BY a.invoice_id`,
      )
      .all();
    return new Map(rows.map((r) => [r.invoice_id, r.paid]));
  }

  paymentsFor(invoiceId: string): InvoicePaymentRow[] {
    return this.sql
      .get<
        [string],
        {
          payment_id: string;
          date: string;
          amount_minor: number;
          method: PaymentMethod;
          reference: string;
        }
      >(
        `SELECT p.id AS payment_id, p.date, a.amount_minor, p.method, p.reference
         FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
         WHERE a.invoice_id = ? AND p.deleted_at IS NULL ORDER BY p.date, p.id`,
      )
      .all(invoiceId)
      .map((r) => ({
        paymentId: r.payment_id,
        date: r.date,
        amountMinor: r.amount_minor,
        method: r.method,
        reference: r.reference,
      }));
  }

  private toInvoice(row: InvoiceRow, lines: Invoice['lines']): Invoice {
    return {
      id: row.id,
      clientId: row.client_id,
      number: row.number,
      currency: row.currency,
      issueDate: row.issue_date,
      dueDate: row.due_date,
      status: row.status,
      lines,
      paymentInstructions:
        row.payment_method === null
          ? null
          : { method: row.payment_method, details: row.payment_details ?? '' },
      notes: row.notes,
      quoteId: row.quote_id,
      scheduleId: row.schedule_id,
      depositMinor: row.deposit_minor,
      depositPpm: row.deposit_ppm,
      depositDueDate: row.deposit_due_date,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
