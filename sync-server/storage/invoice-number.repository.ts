/**
 * A workspace's invoice numbers (docs/architecture.md, Sync): the server hands them out
 * from one counter per workspace when a device issues an invoice, so two devices issuing at
 * once never print the same number. Each number is bound to the invoice id it was given
 * to: asking again for the same invoice returns the same number, so a device that lost the
 * answer and retries leaves no gap.
 */
export interface InvoiceNumberAssignment {
  number: number;
  /** False when the invoice already had this number (a retry). */
  assignedNow: boolean;
}

/** The highest number a workspace may reach; keeps the counter inside a safe integer. */
export const MAX_INVOICE_NUMBER = 999_999_999;

export interface InvoiceNumberRepository {
  /**
   * The number bound to `invoiceId` in the workspace, binding the next one first if the
   * invoice has none: one more than the workspace's highest, and at least `notBelow` (a
   * vault that numbered invoices on its own before it synced continues after them).
   * Atomic: concurrent calls get distinct numbers. Throws `InvoiceNumbersExhaustedError`
   * past MAX_INVOICE_NUMBER.
   */
  assign(
    workspaceId: string,
    invoiceId: string,
    options: { userId: string; now: number; notBelow: number },
  ): Promise<InvoiceNumberAssignment>;
}

export class InvoiceNumbersExhaustedError extends Error {
  constructor() {
    super(`The workspace's invoice numbers have reached ${MAX_INVOICE_NUMBER}`);
    this.name = 'InvoiceNumbersExhaustedError';
  }
}
