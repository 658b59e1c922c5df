import type {
  CLIENT_METHODS,
  CONTRACT_METHODS,
  INVOICE_METHODS,
  PAYMENT_METHODS,
  QUOTE_METHODS,
  RECEIPT_METHODS,
  RECURRING_METHODS,
} from '../../../../shared/api/invoicing.methods.js';
import { issueInvoice } from '../../invoicing/invoice-issuer.js';
import type { GroupHandlers } from '../api-handler.js';
import { readUploadedFile, toDownload } from '../uploaded-file.js';

export const CLIENT_HANDLERS: GroupHandlers<typeof CLIENT_METHODS> = {
  list: (_input, { session }) => session.services().clients.list(),
  get: ({ ref }, { session }) => session.services().clients.get(ref),
  create: (input, { session }) => session.services().clients.create(input),
  update: ({ ref, patch }, { session }) => session.services().clients.update(ref, patch),
  delete: ({ ref }, { session }) => {
    session.services().clients.delete(ref);
    return null;
  },
};

export const INVOICE_HANDLERS: GroupHandlers<typeof INVOICE_METHODS> = {
  list: (filter, { session }) => session.services().invoices.list(filter),
  get: ({ ref }, { session }) => session.services().invoices.get(ref),
  createDraft: (input, { session }) => session.services().invoices.createDraft(input),
  updateDraft: ({ ref, patch }, { session }) => session.services().invoices.updateDraft(ref, patch),
  issue: ({ ref, options }, { session }) =>
    issueInvoice(session.services().invoices, session.invoiceNumbers(), ref, options),
  pay: ({ ref, payment }, { session }) => session.services().payments.payInvoice(ref, payment),
  void: ({ ref }, { session }) => session.services().invoices.voidInvoice(ref),
  deleteDraft: ({ ref }, { session }) => {
    session.services().invoices.deleteDraft(ref);
    return null;
  },
};

export const PAYMENT_HANDLERS: GroupHandlers<typeof PAYMENT_METHODS> = {
  delete: ({ id }, { session }) => {
    session.services().payments.delete(id);
    return null;
  },
};

export const QUOTE_HANDLERS: GroupHandlers<typeof QUOTE_METHODS> = {
  list: ({ status, client }, { session }) =>
    session.services().quotes.list({
      ...(status === undefined ? {} : { status }),
      ...(client === undefined ? {} : { client }),
    }),
  get: ({ ref }, { session }) => session.services().quotes.get(ref),
  create: (input, { session }) => session.services().quotes.create(input),
  update: ({ ref, patch }, { session }) => session.services().quotes.update(ref, patch),
  send: ({ ref }, { session }) => session.services().quotes.send(ref),
  accept: ({ ref }, { session }) => session.services().quotes.accept(ref),
  decline: ({ ref }, { session }) => session.services().quotes.decline(ref),
  convert: ({ ref }, { session }) => session.services().quotes.convert(ref),
  deleteDraft: ({ ref }, { session }) => {
    session.services().quotes.deleteDraft(ref);
    return null;
  },
};

export const RECURRING_HANDLERS: GroupHandlers<typeof RECURRING_METHODS> = {
  list: (_input, { session }) => session.services().recurring.list(),
  get: ({ id }, { session }) => session.services().recurring.get(id),
  create: (input, { session }) => session.services().recurring.create(input),
  pause: ({ id }, { session }) => session.services().recurring.pause(id),
  resume: ({ id }, { session }) => session.services().recurring.resume(id),
  delete: ({ id }, { session }) => {
    session.services().recurring.delete(id);
    return null;
  },
  generateDue: (_input, { session }) => session.services().recurring.generateDue(),
};

export const CONTRACT_HANDLERS: GroupHandlers<typeof CONTRACT_METHODS> = {
  list: ({ client }, { session }) =>
    session.services().contracts.list(client === undefined ? {} : { client }),
  get: ({ id }, { session }) => session.services().contracts.get(id),
  create: ({ contract, file }, { session }) =>
    session
      .services()
      .contracts.create(contract, file === undefined ? undefined : readUploadedFile(file)),
  attachFile: ({ id, file }, { session }) =>
    session.services().contracts.attachFile(id, readUploadedFile(file)),
  send: ({ id }, { session }) => session.services().contracts.send(id),
  sign: ({ id }, { session }) => session.services().contracts.sign(id),
  void: ({ id }, { session }) => session.services().contracts.voidContract(id),
  delete: ({ id }, { session }) => {
    session.services().contracts.delete(id);
    return null;
  },
  readFile: ({ id }, { session }) => toDownload(session.services().contracts.readFile(id)),
};

export const RECEIPT_HANDLERS: GroupHandlers<typeof RECEIPT_METHODS> = {
  list: ({ from, to }, { session }) =>
    session.services().receipts.list({
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    }),
  get: ({ id }, { session }) => session.services().receipts.get(id),
  create: ({ receipt, file }, { session }) =>
    session.services().receipts.create(receipt, readUploadedFile(file)),
  linkTransaction: ({ id, transactionId }, { session }) =>
    session.services().receipts.linkTransaction(id, transactionId),
  delete: ({ id }, { session }) => {
    session.services().receipts.delete(id);
    return null;
  },
  readFile: ({ id }, { session }) => toDownload(session.services().receipts.readFile(id)),
};
