import * as z from 'zod';
import { LocaleSchema } from '../../../shared/domain/settings.schema.js';
import type { ClientService } from '../invoicing/client.service.js';
import type { InvoiceService } from '../invoicing/invoice.service.js';
import type { QuoteService } from '../invoicing/quote.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { parseInput } from '../validation/parse-input.js';
import { documentPdf } from './invoice-pdf.js';
import type { PrintableParty, PrintableSender } from './printable-document.js';

const PdfRequestSchema = z.strictObject({
  /** BCP 47; defaults to this device's preference, then the system's locale. */
  locale: LocaleSchema.optional(),
});
export type PdfRequest = z.input<typeof PdfRequestSchema>;

/**
 * Invoice and quote PDFs made from the vault: the document as the invoicing services read
 * it (totals, payments, balance due as of today) and the sender from the document profile.
 * The bytes are returned, never written to disk here: the caller decides where they go.
 */
export class DocumentPdfService {
  constructor(
    private readonly deps: {
      invoices: InvoiceService;
      quotes: QuoteService;
      clients: ClientService;
      settings: SettingsService;
    },
  ) {}

  /** By invoice id or number; rejects with NOT_FOUND when there is none. */
  async invoicePdf(ref: string, request: PdfRequest = {}): Promise<Buffer> {
    const invoice = this.deps.invoices.get(ref);
    const profile = this.deps.settings.getProfile();
    return await documentPdf(
      {
        kind: 'invoice',
        number: invoice.number,
        status: invoice.effectiveStatus,
        currency: invoice.currency,
        issueDate: invoice.issueDate,
        untilDate: invoice.dueDate,
        client: this.client(invoice.clientId),
        lines: invoice.lines,
        totals: invoice.totals,
        payments: invoice.payments,
        paidMinor: invoice.paidMinor,
        balanceDueMinor: invoice.balanceDueMinor,
        deposit:
          invoice.depositMinor === null
            ? null
            : {
                amountMinor: invoice.depositMinor,
                dueDate: invoice.depositDueDate,
                outstandingMinor: invoice.depositOutstandingMinor,
              },
        paymentInstructions: invoice.paymentInstructions ?? profile.paymentInstructions,
        notes: invoice.notes,
      },
      this.sender(),
      { locale: this.locale(request) },
    );
  }

  /** By quote id or number; rejects with NOT_FOUND when there is none. */
  async quotePdf(ref: string, request: PdfRequest = {}): Promise<Buffer> {
    const quote = this.deps.quotes.get(ref);
    return await documentPdf(
      {
        kind: 'quote',
        number: quote.number,
        status: quote.effectiveStatus,
        currency: quote.currency,
        issueDate: quote.issueDate,
        untilDate: quote.validUntil,
        client: this.client(quote.clientId),
        lines: quote.lines,
        totals: quote.totals,
        payments: [],
        paidMinor: 0,
        balanceDueMinor: quote.totals.totalMinor,
        deposit:
          quote.depositMinor === null
            ? null
            : {
                amountMinor: quote.depositMinor,
                dueDate: quote.depositDueDate,
                outstandingMinor: quote.depositMinor,
              },
        paymentInstructions: null,
        notes: quote.notes,
      },
      this.sender(),
      { locale: this.locale(request) },
    );
  }

  private client(id: string): PrintableParty {
    const client = this.deps.clients.get(id);
    return {
      name: client.name,
      address: client.address,
      email: client.email,
      phone: client.phone,
      taxId: client.taxId,
    };
  }

  private sender(): PrintableSender {
    const profile = this.deps.settings.getProfile();
    return {
      name: profile.name,
      address: profile.address,
      email: profile.email,
      phone: profile.phone,
      taxId: profile.taxId,
      logo: this.deps.settings.readLogo(),
    };
  }

  private locale(request: PdfRequest): string {
    const { locale } = parseInput(PdfRequestSchema, request, 'PDF request');
    return (
      locale ??
      this.deps.settings.getPreferences().locale ??
      new Intl.NumberFormat().resolvedOptions().locale
    );
  }
}
