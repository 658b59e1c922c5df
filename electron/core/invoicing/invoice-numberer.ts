import { StatementCache, type Db } from '../ledger/statement-cache.js';

/**
 * Hands out document numbers. Called inside the transaction that issues the document, so
 * a failed issue leaves no gap. A vault that is not synced numbers locally
 * (`LocalInvoiceNumberer`); a vault linked to a workspace takes each invoice's number from
 * the server's per-workspace counter, bound to the invoice's id
 * (`workspace-invoice-numberer.ts`).
 */
export interface InvoiceNumberer {
  /** `invoiceId`: the document being numbered (a server binds its number to it). */
  next(invoiceId?: string): string;
}

export const INVOICE_NUMBER_PREFIX = 'INV-';
export const QUOTE_NUMBER_PREFIX = 'QUO-';

/**
 * Local series `INV-0001`, `INV-0002`, … kept in table `invoice_counter` (one row per
 * prefix, so quotes use the same mechanism with `QUO-`). Four digits at least; the
 * series keeps counting past 9999. A number already used by any document (tombstones
 * included: a number is never reused) is skipped.
 */
export class LocalInvoiceNumberer implements InvoiceNumberer {
  private readonly sql: StatementCache;

  constructor(
    db: Db,
    private readonly isTaken: (number: string) => boolean,
    private readonly prefix: string = INVOICE_NUMBER_PREFIX,
    private readonly width = 4,
  ) {
    this.sql = new StatementCache(db);
  }

  next(): string {
    this.sql
      .get('INSERT OR IGNORE INTO invoice_counter (prefix, next_value) VALUES (?, 1)')
      .run(this.prefix);
    const take = this.sql.get<[string], { value: number }>(
      'UPDATE invoice_counter SET next_value = next_value + 1 WHERE prefix = ? RETURNING next_value - 1 AS value',
    );
    for (;;) {
      const row = take.get(this.prefix);
      if (row === undefined) throw new Error('invoice_counter row vanished inside a transaction');
      const number = `${this.prefix}${String(row.value).padStart(this.width, '0')}`;
      if (!this.isTaken(number)) return number;
    }
  }
}
