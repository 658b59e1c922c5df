/**
 * What the invoicing services hand back when they read: the stored record plus what is
 * derived at read time (client name, totals, amounts paid, effective status). The types
 * live here, beside the stored shapes, because the app's API names them as its outputs
 * and the renderer may only import from `shared/`.
 */
import type { DocumentTotals } from '../invoice/invoice-totals.js';
import type {
  Contract,
  EffectiveInvoiceStatus,
  Invoice,
  Payment,
  PaymentAllocation,
  PaymentMethod,
  Quote,
  QuoteStatus,
  Receipt,
} from './invoicing.schema.js';

/** An invoice as read: stored fields plus everything derived at read time. */
export interface InvoiceView extends Invoice {
  clientName: string;
  totals: DocumentTotals;
  /** Σ live payment allocations. */
  paidMinor: number;
  /** total − paid; 0 for a void invoice. */
  balanceDueMinor: number;
  /** max(0, requested deposit − paid); 0 without a deposit and for a void invoice. */
  depositOutstandingMinor: number;
  /** Stored status, or `paid`/`overdue`/… derived from payments and the date. */
  effectiveStatus: EffectiveInvoiceStatus;
}

/** One live payment's share of an invoice. */
export interface InvoicePaymentRow {
  paymentId: string;
  date: string;
  amountMinor: number;
  method: PaymentMethod;
  reference: string;
}

export interface InvoiceDetail extends InvoiceView {
  payments: InvoicePaymentRow[];
}

export interface QuoteView extends Quote {
  clientName: string;
  totals: DocumentTotals;
  /** `expired` when sent and past `validUntil`; otherwise the stored status. */
  effectiveStatus: QuoteStatus;
}

export interface QuoteConversion {
  quote: QuoteView;
  invoice: InvoiceView;
}

export interface PaymentAllocationView extends PaymentAllocation {
  invoiceNumber: string | null;
}

export interface PaymentView extends Payment {
  allocations: PaymentAllocationView[];
  clientName: string | null;
  /** amount − Σ allocations: money received but not (yet) applied to an invoice. */
  unallocatedMinor: number;
}

export interface GeneratedInvoice {
  scheduleId: string;
  /** The occurrence date the invoice was generated for; it is also its issue date. */
  periodDate: string;
  invoice: InvoiceView;
}

/** File metadata shown with a contract or receipt. */
export interface AttachmentSummary {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  sha256: string;
}

export interface ContractView extends Contract {
  clientName: string;
  attachment: AttachmentSummary | null;
}

export interface ReceiptView extends Receipt {
  attachment: AttachmentSummary | null;
}
