import type {
  DocumentLine,
  PaymentInstructions,
  PaymentMethod,
} from '../../../shared/domain/invoicing.schema.js';
import type { DocumentTotals } from '../../../shared/invoice/invoice-totals.js';

/** Who a document is addressed to, as printed. */
export interface PrintableParty {
  name: string;
  address: string | null;
  email: string | null;
  phone: string | null;
  taxId: string | null;
}

export interface PrintablePayment {
  date: string;
  amountMinor: number;
  method: PaymentMethod;
  reference: string;
}

export interface PrintableDeposit {
  amountMinor: number;
  dueDate: string | null;
  /** max(0, deposit − paid). */
  outstandingMinor: number;
}

/**
 * What an invoice or quote PDF shows, gathered from the services (document-pdf.service.ts):
 * amounts are integer minor units of `currency`, totals come from invoice-totals.ts.
 */
export interface PrintableDocument {
  kind: 'invoice' | 'quote';
  /** Null for a draft. */
  number: string | null;
  /** The effective status (`overdue`, `partially_paid`, `expired` …). */
  status: string;
  currency: string;
  issueDate: string | null;
  /** Invoice: due date. Quote: valid until. */
  untilDate: string | null;
  client: PrintableParty;
  lines: readonly DocumentLine[];
  totals: DocumentTotals;
  /** Invoices only: each payment allocated to it (deposits and partial payments alike). */
  payments: readonly PrintablePayment[];
  paidMinor: number;
  balanceDueMinor: number;
  /** The deposit asked for first, if any; payments count towards it. */
  deposit: PrintableDeposit | null;
  /** The document's own, else the profile's default. */
  paymentInstructions: PaymentInstructions | null;
  notes: string;
}

/** The sender block: the document profile, with the logo's bytes when there is one. */
export interface PrintableSender extends PrintableParty {
  logo: { mimeType: 'image/png' | 'image/jpeg'; content: Buffer } | null;
}
