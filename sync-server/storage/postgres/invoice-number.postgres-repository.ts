import type {
  InvoiceNumberAssignment,
  InvoiceNumberRepository,
} from '../invoice-number.repository.js';
import { InvoiceNumbersExhaustedError, MAX_INVOICE_NUMBER } from '../invoice-number.repository.js';
import type { PgDatabase } from './pg-database.js';

/**
 * Numbers of one workspace are read and bound under a transaction-scoped advisory lock of
 * that workspace, so two instances never hand out the same next number, and
 * UNIQUE (workspace_id, number) refuses a second binding whatever happens.
 */
export class PostgresInvoiceNumberRepository implements InvoiceNumberRepository {
  constructor(private readonly db: PgDatabase) {}

  async assign(
    workspaceId: string,
    invoiceId: string,
    options: { userId: string; now: number; notBelow: number },
  ): Promise<InvoiceNumberAssignment> {
    return this.db.transaction(async (): Promise<InvoiceNumberAssignment> => {
      await this.db.query(
        "SELECT pg_advisory_xact_lock(hashtextextended('invoice_numbers:' || $1, 0))",
        [workspaceId],
      );
      const bound = await this.db.query<{ number: number }>(
        'SELECT number FROM invoice_numbers WHERE workspace_id = $1 AND invoice_id = $2',
        [workspaceId, invoiceId],
      );
      const known = bound.rows[0]?.number;
      if (known !== undefined) return { number: known, assignedNow: false };
      const highest = await this.db.query<{ last: number | null }>(
        'SELECT max(number) AS last FROM invoice_numbers WHERE workspace_id = $1',
        [workspaceId],
      );
      const number = Math.max((highest.rows[0]?.last ?? 0) + 1, options.notBelow);
      if (number > MAX_INVOICE_NUMBER) throw new InvoiceNumbersExhaustedError();
      await this.db.query(
        `INSERT INTO invoice_numbers (workspace_id, invoice_id, number, user_id, assigned_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [workspaceId, invoiceId, number, options.userId, options.now],
      );
      return { number, assignedNow: true };
    }, 'read committed');
  }
}
