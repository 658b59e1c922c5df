import { AttachmentService } from '../attachments/attachment.service.js';
import type { Vault } from '../vault/vault.js';
import { ClientService } from './client.service.js';
import { ContractService } from './contract.service.js';
import type { InvoiceNumberer } from './invoice-numberer.js';
import { InvoiceService } from './invoice.service.js';
import { PaymentService } from './payment.service.js';
import { QuoteService } from './quote.service.js';
import { ReceiptService } from './receipt.service.js';
import { RecurringService } from './recurring.service.js';

export interface InvoicingServices {
  clients: ClientService;
  quotes: QuoteService;
  invoices: InvoiceService;
  payments: PaymentService;
  recurring: RecurringService;
  contracts: ContractService;
  receipts: ReceiptService;
}

/**
 * Wires the invoicing services over one vault. `invoiceNumberer` replaces local numbering
 * (a synced workspace gets its numbers from the server).
 */
export function createInvoicingServices(
  vault: Vault,
  options: {
    attachments?: AttachmentService;
    invoiceNumberer?: InvoiceNumberer;
  } = {},
): InvoicingServices {
  const attachments = options.attachments ?? new AttachmentService(vault);
  const clients = new ClientService(vault);
  const invoices = new InvoiceService(vault, clients, options.invoiceNumberer);
  return {
    clients,
    invoices,
    quotes: new QuoteService(vault, clients, invoices),
    payments: new PaymentService(vault, clients, invoices),
    recurring: new RecurringService(vault, clients, invoices),
    contracts: new ContractService(vault, clients, attachments),
    receipts: new ReceiptService(vault, attachments),
  };
}
