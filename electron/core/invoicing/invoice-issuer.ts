import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import type { InvoiceIssueInput } from '../../../shared/domain/invoicing.schema.js';
import type { InvoiceService, InvoiceView } from './invoice.service.js';
import type { InvoiceNumberer } from './invoice-numberer.js';
import {
  formatServerInvoiceNumber,
  invoiceWaitingForNumber,
} from './workspace-invoice-numberer.js';

/** Where a synced workspace's invoice numbers come from: the sync server's counter. */
export interface InvoiceNumberSource {
  /**
   * The number bound to `invoiceId` in the workspace, bound now if it has none, at least
   * `notBelow`. Asking again for the same invoice gives the same number.
   */
  numberFor(invoiceId: string, notBelow: number): Promise<number>;
}

/**
 * Issues a draft invoice, numbered locally in a local-only vault and by the sync server in a
 * vault linked to a workspace. The first attempt runs the whole issue — every check included
 * — and in a synced vault stops, rolled back, where it needs the number
 * (WorkspaceInvoiceNumberer); only then is the server asked, for a number bound to that
 * invoice's id, and the issue runs again with it. So a draft that cannot be issued costs no
 * number, an unreachable server leaves the draft exactly as it was, and a retry after a lost
 * answer (or a crash between the answer and the commit) gets the same number back: the
 * series has no gap and no number twice.
 */
export async function issueInvoice(
  invoices: InvoiceService,
  source: InvoiceNumberSource | null,
  ref: string,
  input: InvoiceIssueInput = {},
): Promise<InvoiceView> {
  let invoiceId: string | undefined;
  try {
    return invoices.issue(ref, input);
  } catch (error) {
    invoiceId = invoiceWaitingForNumber(error);
    if (invoiceId === undefined || source === null) throw error;
  }
  let number: number;
  try {
    number = await source.numberFor(invoiceId, invoices.numberFloor());
  } catch (error) {
    if (isCofferError(error) && error.code === 'SERVER_UNREACHABLE') {
      throw new CofferError(
        'SERVER_UNREACHABLE',
        `Invoice ${invoiceId} is still a draft: in a synced workspace its number comes from the sync server, which could not be reached. Issue it again once the server can be reached.`,
        { invoiceId },
      );
    }
    throw error;
  }
  const bound = invoiceId;
  const serverNumber: InvoiceNumberer = {
    next: (id) => {
      if (id !== bound) {
        throw new CofferError(
          'INTERNAL',
          'A server invoice number was offered to another invoice.',
        );
      }
      return formatServerInvoiceNumber(number);
    },
  };
  return invoices.issue(bound, input, serverNumber);
}
