/**
 * The status a person sees is derived at read time from what is stored plus the amounts
 * paid, so it is right even when payments arrived from another device after the stored
 * status was last written:
 *
 * - `draft` and `void` are shown as stored.
 * - otherwise, nothing left to pay (paid ≥ total)      → `paid`
 * - otherwise, due date strictly before today            → `overdue`
 * - otherwise, something paid                            → `partially_paid`
 * - otherwise                                            → `sent`
 */
import type { EffectiveInvoiceStatus, InvoiceStatus } from '../domain/invoicing.schema.js';

export interface InvoiceStatusFacts {
  readonly status: InvoiceStatus;
  readonly dueDate: string | null;
}

export function effectiveInvoiceStatus(
  invoice: InvoiceStatusFacts,
  paidMinor: number,
  totalMinor: number,
  today: string,
): EffectiveInvoiceStatus {
  if (invoice.status === 'draft' || invoice.status === 'void') return invoice.status;
  if (paidMinor >= totalMinor) return 'paid';
  // ISO dates compare correctly as text.
  if (invoice.dueDate !== null && invoice.dueDate < today) return 'overdue';
  return paidMinor > 0 ? 'partially_paid' : 'sent';
}

/** The status to store after payments change: what the status would be with no clock. */
export function storedStatusAfterPayments(
  current: InvoiceStatus,
  paidMinor: number,
  totalMinor: number,
): InvoiceStatus {
  if (current === 'draft' || current === 'void') return current;
  if (paidMinor >= totalMinor) return 'paid';
  return paidMinor > 0 ? 'partially_paid' : 'sent';
}
