import type { Quote, QuoteStatus } from '../../../shared/domain/invoicing.schema.js';
import { StatementCache, type Db } from '../ledger/statement-cache.js';
import { DocumentLinesRepository } from './document-lines.repository.js';

interface QuoteRow {
  id: string;
  client_id: string;
  number: string | null;
  currency: string;
  issue_date: string;
  valid_until: string | null;
  status: QuoteStatus;
  notes: string;
  converted_invoice_id: string | null;
  deposit_minor: number | null;
  deposit_ppm: number | null;
  deposit_due_date: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS =
  'id, client_id, number, currency, issue_date, valid_until, status, notes, converted_invoice_id, deposit_minor, deposit_ppm, deposit_due_date, created_at, updated_at';

/** SQL for quotes and their lines. Reads skip tombstones. */
export class QuoteRepository {
  private readonly sql: StatementCache;
  private readonly lines: DocumentLinesRepository;

  constructor(db: Db) {
    this.sql = new StatementCache(db);
    this.lines = new DocumentLinesRepository(db, 'quote_lines');
  }

  insert(q: Quote): void {
    this.sql
      .get(
        `INSERT INTO quotes (${COLUMNS})
         VALUES (@id, @clientId, @number, @currency, @issueDate, @validUntil, @status, @notes, @convertedInvoiceId,
                 @depositMinor, @depositPpm, @depositDueDate, @createdAt, @updatedAt)`,
      )
      .run(params(q));
    this.lines.replace(q.id, q.lines);
  }

  update(q: Quote, withLines: boolean): void {
    this.sql
      .get(
        `UPDATE quotes SET client_id = @clientId, number = @number, currency = @currency, issue_date = @issueDate,
           valid_until = @validUntil, status = @status, notes = @notes, converted_invoice_id = @convertedInvoiceId,
           deposit_minor = @depositMinor, deposit_ppm = @depositPpm, deposit_due_date = @depositDueDate, updated_at = @updatedAt
         WHERE id = @id AND deleted_at IS NULL`,
      )
      .run(params(q));
    if (withLines) this.lines.replace(q.id, q.lines);
  }

  tombstone(id: string, now: number): void {
    this.sql
      .get('UPDATE quotes SET deleted_at = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL')
      .run(now, now, id);
  }

  findById(id: string): Quote | undefined {
    const row = this.sql
      .get<[string], QuoteRow>(`SELECT ${COLUMNS} FROM quotes WHERE id = ? AND deleted_at IS NULL`)
      .get(id);
    return row === undefined ? undefined : toQuote(row, this.lines.listFor(row.id));
  }

  findByNumber(number: string): Quote | undefined {
    const row = this.sql
      .get<[string], QuoteRow>(
        `SELECT ${COLUMNS} FROM quotes WHERE number = ? COLLATE NOCASE AND deleted_at IS NULL`,
      )
      .get(number);
    return row === undefined ? undefined : toQuote(row, this.lines.listFor(row.id));
  }

  isNumberTaken(number: string): boolean {
    return (
      (this.sql
        .get<[string], { n: number }>(
          'SELECT count(*) AS n FROM quotes WHERE number = ? COLLATE NOCASE',
        )
        .get(number)?.n ?? 0) > 0
    );
  }

  /** Live quotes, newest first. */
  list(filter: { clientId?: string } = {}): Quote[] {
    const lines = this.lines.listForLiveParents();
    const order = 'ORDER BY issue_date DESC, id DESC';
    const rows =
      filter.clientId === undefined
        ? this.sql
            .get<[], QuoteRow>(`SELECT ${COLUMNS} FROM quotes WHERE deleted_at IS NULL ${order}`)
            .all()
        : this.sql
            .get<[string], QuoteRow>(
              `SELECT ${COLUMNS} FROM quotes WHERE deleted_at IS NULL AND client_id = ? ${order}`,
            )
            .all(filter.clientId);
    return rows.map((row) => toQuote(row, lines.get(row.id) ?? []));
  }
}

function params(q: Quote): Record<string, unknown> {
  const { lines: _lines, ...rest } = q;
  return rest;
}

function toQuote(row: QuoteRow, lines: Quote['lines']): Quote {
  return {
    id: row.id,
    clientId: row.client_id,
    number: row.number,
    currency: row.currency,
    issueDate: row.issue_date,
    validUntil: row.valid_until,
    status: row.status,
    lines,
    notes: row.notes,
    convertedInvoiceId: row.converted_invoice_id,
    depositMinor: row.deposit_minor,
    depositPpm: row.deposit_ppm,
    depositDueDate: row.deposit_due_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
