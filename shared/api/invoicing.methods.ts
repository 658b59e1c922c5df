/** Clients, invoices and their payments, quotes, recurring schedules, contracts and receipts. */
import * as z from 'zod';
import { IsoDateSchema } from '../dates/iso-date.js';
import {
  ClientInputSchema,
  ClientPatchSchema,
  ContractInputSchema,
  InvoiceDraftInputSchema,
  InvoiceIssueInputSchema,
  InvoiceListFilterSchema,
  InvoicePatchSchema,
  InvoicePaymentInputSchema,
  QuoteInputSchema,
  QuotePatchSchema,
  QuoteStatusSchema,
  RecordIdSchema,
  RecordRefSchema,
  ReceiptInputSchema,
  RecurringScheduleInputSchema,
  type Client,
  type RecurringSchedule,
} from '../domain/invoicing.schema.js';
import type {
  ContractView,
  GeneratedInvoice,
  InvoiceDetail,
  InvoiceView,
  PaymentView,
  QuoteConversion,
  QuoteView,
  ReceiptView,
} from '../domain/invoicing.views.js';
import { AttachmentUploadSchema, type AttachmentDownload } from './attachment-upload.js';
import { apiMethod } from './api-method.js';
import { EmptyInputSchema } from './app.methods.js';

/** A client, invoice or quote by id, or by its name or number. */
const RefInput = z.strictObject({ ref: RecordRefSchema });
/** Payments, schedules, contracts and receipts have no human key: by id only. */
const IdInput = z.strictObject({ id: RecordIdSchema });

export const CLIENT_METHODS = {
  list: apiMethod<Client[]>()(EmptyInputSchema),
  get: apiMethod<Client>()(RefInput),
  create: apiMethod<Client>()(ClientInputSchema),
  update: apiMethod<Client>()(z.strictObject({ ref: RecordRefSchema, patch: ClientPatchSchema })),
  /** INVALID_STATE while any invoice, quote, payment, schedule or contract names the client. */
  delete: apiMethod<null>()(RefInput),
} as const;

export const INVOICE_METHODS = {
  /** Each with its totals, amount paid, balance due and status as of today. */
  list: apiMethod<InvoiceView[]>()(InvoiceListFilterSchema),
  /** With the payments received. */
  get: apiMethod<InvoiceDetail>()(RefInput),
  createDraft: apiMethod<InvoiceView>()(InvoiceDraftInputSchema),
  updateDraft: apiMethod<InvoiceView>()(
    z.strictObject({ ref: RecordRefSchema, patch: InvoicePatchSchema }),
  ),
  /** Draft → sent, with its number and dates. */
  issue: apiMethod<InvoiceView>()(
    z.strictObject({ ref: RecordRefSchema, options: InvoiceIssueInputSchema.prefault({}) }),
  ),
  /** Records a payment against the invoice; OVERPAYMENT past the balance due. */
  pay: apiMethod<PaymentView>()(
    z.strictObject({ ref: RecordRefSchema, payment: InvoicePaymentInputSchema.prefault({}) }),
  ),
  void: apiMethod<InvoiceView>()(RefInput),
  deleteDraft: apiMethod<null>()(RefInput),
} as const;

export const PAYMENT_METHODS = {
  /** Tombstones a payment; its invoices go back to partly paid or sent. */
  delete: apiMethod<null>()(IdInput),
} as const;

export const QUOTE_METHODS = {
  list: apiMethod<QuoteView[]>()(
    z.strictObject({ status: QuoteStatusSchema.optional(), client: RecordRefSchema.optional() }),
  ),
  get: apiMethod<QuoteView>()(RefInput),
  create: apiMethod<QuoteView>()(QuoteInputSchema),
  update: apiMethod<QuoteView>()(z.strictObject({ ref: RecordRefSchema, patch: QuotePatchSchema })),
  send: apiMethod<QuoteView>()(RefInput),
  accept: apiMethod<QuoteView>()(RefInput),
  decline: apiMethod<QuoteView>()(RefInput),
  /** Makes a draft invoice of the quote's lines; the quote becomes converted. */
  convert: apiMethod<QuoteConversion>()(RefInput),
  /** Tombstones a draft quote; a sent one is declined instead. */
  deleteDraft: apiMethod<null>()(RefInput),
} as const;

export const RECURRING_METHODS = {
  list: apiMethod<RecurringSchedule[]>()(EmptyInputSchema),
  get: apiMethod<RecurringSchedule>()(IdInput),
  create: apiMethod<RecurringSchedule>()(RecurringScheduleInputSchema),
  pause: apiMethod<RecurringSchedule>()(IdInput),
  /** From the first occurrence on or after today: paused periods are skipped, not billed. */
  resume: apiMethod<RecurringSchedule>()(IdInput),
  delete: apiMethod<null>()(IdInput),
  /** Issues every invoice due by today and says which. */
  generateDue: apiMethod<GeneratedInvoice[]>()(EmptyInputSchema),
} as const;

export const CONTRACT_METHODS = {
  list: apiMethod<ContractView[]>()(z.strictObject({ client: RecordRefSchema.optional() })),
  get: apiMethod<ContractView>()(IdInput),
  create: apiMethod<ContractView>()(
    z.strictObject({ contract: ContractInputSchema, file: AttachmentUploadSchema.optional() }),
  ),
  /** Replaces the document of a draft or sent contract. */
  attachFile: apiMethod<ContractView>()(
    z.strictObject({ id: RecordIdSchema, file: AttachmentUploadSchema }),
  ),
  send: apiMethod<ContractView>()(IdInput),
  sign: apiMethod<ContractView>()(IdInput),
  void: apiMethod<ContractView>()(IdInput),
  delete: apiMethod<null>()(IdInput),
  readFile: apiMethod<AttachmentDownload>()(IdInput),
} as const;

export const RECEIPT_METHODS = {
  /** Newest first; inclusive date bounds. */
  list: apiMethod<ReceiptView[]>()(
    z.strictObject({ from: IsoDateSchema.optional(), to: IsoDateSchema.optional() }),
  ),
  get: apiMethod<ReceiptView>()(IdInput),
  create: apiMethod<ReceiptView>()(
    z.strictObject({ receipt: ReceiptInputSchema, file: AttachmentUploadSchema }),
  ),
  /** Links the receipt to a ledger transaction, or unlinks it with null. */
  linkTransaction: apiMethod<ReceiptView>()(
    z.strictObject({ id: RecordIdSchema, transactionId: RecordIdSchema.nullable() }),
  ),
  delete: apiMethod<null>()(IdInput),
  readFile: apiMethod<AttachmentDownload>()(IdInput),
} as const;
