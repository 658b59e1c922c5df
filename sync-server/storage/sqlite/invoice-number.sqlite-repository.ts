import type {
  InvoiceNumberAssignment,
  InvoiceNumberRepository,
} from '../invoice-number.repository.js';
import { InvoiceNumbersExhaustedError, MAX_INVOICE_NUMBER } from '../invoice-number.repository.js';
import type { SqliteDatabase } from './sqlite-database.js';

/**
 * Numbers are read and bound in one IMMEDIATE transaction on the server's one connection,
 * and UNIQUE (workspace_id, number) refuses a second binding of a number even if another
 * process wrote the file.
 */
export class SqliteInvoiceNumberRepository implements InvoiceNumberRepository {
  constructor(private readonly db: SqliteDatabase) {}

  async assign(
    workspaceId: string,
    invoiceId: string,
    options: { userId: string; now: number; notBelow: number },
  ): Promise<InvoiceNumberAssignment> {
    const bound = this.db
      .prepare('SELECT number FROM invoice_numbers WHERE workspace_id = ? AND invoice_id = ?')
      .pluck();
    const highest = this.db
      .prepare('SELECT max(number) FROM invoice_numbers WHERE workspace_id = ?')
      .pluck();
    const bind = this.db.prepare(
      `INSERT INTO invoice_numbers (workspace_id, invoice_id, number, user_id, assigned_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    const assign = this.db.transaction((): InvoiceNumberAssignment => {
      const known = bound.get(workspaceId, invoiceId) as number | undefined;
      if (known !== undefined) return { number: known, assignedNow: false };
      const last = (highest.get(workspaceId) as number | null) ?? 0;
      const number = Math.max(last + 1, options.notBelow);
      if (number > MAX_INVOICE_NUMBER) throw new InvoiceNumbersExhaustedError();
      bind.run(workspaceId, invoiceId, number, options.userId, options.now);
      return { number, assignedNow: true };
    });
    return assign.immediate();
  }
}
