import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { Db } from '../ledger/statement-cache.js';
import { SyncAccountRepository } from '../sync/sync-account.repository.js';
import { INVOICE_NUMBER_PREFIX, type InvoiceNumberer } from './invoice-numberer.js';

/**
 * The vault's invoice numberer. A local-only vault numbers locally; a vault linked to a
 * workspace never does, since two devices counting on their own would print the same
 * number: there an invoice is numbered only with the number the sync server gave that
 * invoice, handed to the issue by invoice-issuer.ts. Asked itself, `next` refuses with
 * INVOICE_NUMBER_FROM_SERVER naming the invoice, inside the transaction that was about to
 * issue it, so nothing is written. `recurring run`, which issues invoices inside one
 * transaction, is refused this way in a synced vault rather than numbering on its own.
 */
export class WorkspaceInvoiceNumberer implements InvoiceNumberer {
  private readonly sync: SyncAccountRepository;

  constructor(
    db: Db,
    private readonly local: InvoiceNumberer,
  ) {
    this.sync = new SyncAccountRepository(db);
  }

  next(invoiceId?: string): string {
    if (this.sync.workspace() === null) return this.local.next(invoiceId);
    throw new CofferError(
      'INVOICE_NUMBER_FROM_SERVER',
      'This vault is synced with a workspace, whose invoice numbers come from the sync server: issue the draft invoice with invoice issue.',
      { invoiceId: invoiceId ?? null },
    );
  }
}

/** The printed form of the server's number `n`: `INV-0001`, as local numbering writes. */
export function formatServerInvoiceNumber(n: number): string {
  return `${INVOICE_NUMBER_PREFIX}${String(n).padStart(4, '0')}`;
}

/** The invoice a WorkspaceInvoiceNumberer refusal names, or undefined for any other error. */
export function invoiceWaitingForNumber(error: unknown): string | undefined {
  if (!isCofferError(error) || error.code !== 'INVOICE_NUMBER_FROM_SERVER') return undefined;
  const id = (error.details as { invoiceId?: unknown } | undefined)?.invoiceId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The lowest number the server may give this vault next: one past the highest `INV-` number
 * it holds (tombstones included), so a vault that numbered invoices before it synced
 * continues after them. A synced vault's other numbers all came from the server, so this
 * never moves the server's series past its own end.
 */
export function invoiceNumberFloor(db: Db): number {
  const digitsFrom = INVOICE_NUMBER_PREFIX.length + 1;
  const highest = db
    .prepare(
      `SELECT max(CAST(substr(number, ?) AS INTEGER)) FROM invoices
        WHERE number GLOB ? AND substr(number, ?) NOT GLOB '*[^0-9]*'`,
    )
    .pluck()
    .get(digitsFrom, `${INVOICE_NUMBER_PREFIX}[0-9]*`, digitsFrom) as number | null;
  return (highest ?? 0) + 1;
}
