/**
 * Invoicing domain: clients, quotes, invoices, payments, recurring schedules, contracts
 * and receipts. Stored shapes (`*Schema`) describe what a service returns and what a
 * change record carries; input shapes (`*InputSchema`) describe what a caller may send.
 *
 * Money is integer minor units of the document's currency. Quantities are integer
 * thousandths ("1.5" hours = 1500) and rates are integer parts per million of 1
 * (8.875 % = 88_750), so no float ever enters a total (see shared/invoice/invoice-totals.ts).
 */
import * as z from 'zod';
import { IsoDateSchema } from '../dates/iso-date.js';
import { UUID_PATTERN } from '../ids/uuidv7.js';
import { depositFields, depositProblem, type DepositRequest } from '../invoice/deposit.js';
import { computeDocumentTotals } from '../invoice/invoice-totals.js';
import { CurrencyCodeSchema } from '../money/currency.js';

export const PPM_ONE = 1_000_000;
export const MILLI_ONE = 1_000;

const TEXT_SHORT = 200;
const TEXT_LONG = 10_000;
/** A document with more lines than this is almost certainly a mistake or an attack. */
export const MAX_DOCUMENT_LINES = 500;

export const RecordIdSchema = z.string().regex(UUID_PATTERN, 'must be a record id (UUID)');

/** A client, invoice or quote can be named by id or by a human key (name, number). */
export const RecordRefSchema = z.string().trim().min(1, 'must not be empty').max(TEXT_SHORT);

const PositiveMinorSchema = z
  .number()
  .int('must be a whole number of minor units')
  .positive('must be greater than zero')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');
const NonNegativeMinorSchema = z
  .number()
  .int('must be a whole number of minor units')
  .nonnegative('must not be negative')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');
const PpmSchema = z
  .number()
  .int('must be a whole number of parts per million')
  .min(0, 'must be between 0 and 1000000 ppm')
  .max(PPM_ONE, 'must be between 0 and 1000000 ppm');

/** Control characters in names break tables, CSV and terminal output. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const NameTextSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TEXT_SHORT, `must be at most ${TEXT_SHORT} characters`)
  .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

/** Record timestamps, UTC ms; every stored entity has them. */
const recordTimes = {
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
};

const notes = z.string().max(TEXT_LONG, `must be at most ${TEXT_LONG} characters`);
const optionalText = z.string().trim().max(TEXT_LONG).nullable();

// ---------------------------------------------------------------------------------------
// Clients

export const ClientSchema = z.object({
  id: RecordIdSchema,
  name: NameTextSchema,
  email: z.email('must be an email address').nullable(),
  phone: z.string().trim().max(50).nullable(),
  address: optionalText,
  taxId: z.string().trim().max(100).nullable(),
  notes,
  defaultCurrency: CurrencyCodeSchema.nullable(),
  ...recordTimes,
});
export type Client = z.infer<typeof ClientSchema>;

export const ClientInputSchema = z.strictObject({
  name: ClientSchema.shape.name,
  email: ClientSchema.shape.email.default(null),
  phone: ClientSchema.shape.phone.default(null),
  address: ClientSchema.shape.address.default(null),
  taxId: ClientSchema.shape.taxId.default(null),
  notes: notes.default(''),
  defaultCurrency: ClientSchema.shape.defaultCurrency.default(null),
});
export type ClientInput = z.input<typeof ClientInputSchema>;

/** Every field optional; only those given change. */
export const ClientPatchSchema = ClientSchema.omit({
  id: true,
  createdAt: true,
  updatedAt: true,
})
  .partial()
  .strict();
export type ClientPatch = z.input<typeof ClientPatchSchema>;

// ---------------------------------------------------------------------------------------
// Lines shared by quotes, invoices and recurring schedules

export const DocumentLineSchema = z.object({
  id: RecordIdSchema,
  description: z.string().trim().min(1, 'must not be empty').max(2_000),
  /** Thousandths of a unit: 1 unit = 1000, 1.5 hours = 1500. */
  quantityMilli: z
    .number()
    .int('must be a whole number of thousandths')
    .positive('must be greater than zero')
    .max(Number.MAX_SAFE_INTEGER, 'is too large'),
  /** Price of one unit in minor units; 0 is allowed (free line). */
  unitPriceMinor: NonNegativeMinorSchema,
  /** Parts per million: 8.875 % = 88750. */
  taxRatePpm: PpmSchema,
  /** Per-line percentage discount in parts per million: 10 % = 100000. */
  discountPpm: PpmSchema,
});
export type DocumentLine = z.infer<typeof DocumentLineSchema>;

/** Line ids are assigned by the service. */
export const DocumentLineInputSchema = DocumentLineSchema.omit({ id: true })
  .strict()
  .extend({
    taxRatePpm: PpmSchema.default(0),
    discountPpm: PpmSchema.default(0),
  });
export type DocumentLineInput = z.input<typeof DocumentLineInputSchema>;

const LinesInputSchema = z
  .array(DocumentLineInputSchema)
  .max(MAX_DOCUMENT_LINES, `must have at most ${MAX_DOCUMENT_LINES} lines`);

export const PaymentMethodSchema = z.enum([
  'bank_transfer',
  'card',
  'paypal',
  'stripe',
  'zelle',
  'cash',
  'check',
  'other',
]);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

/** What the client is told about how to pay (shown on the invoice). */
export const PaymentInstructionsSchema = z.object({
  method: PaymentMethodSchema,
  details: z.string().max(TEXT_LONG),
});
export type PaymentInstructions = z.infer<typeof PaymentInstructionsSchema>;

// ---------------------------------------------------------------------------------------
// Requested deposits (quotes and invoices; see shared/invoice/deposit.ts)

const DepositPpmSchema = z
  .number()
  .int('must be a whole number of parts per million')
  .min(1, 'must be greater than zero')
  .max(PPM_ONE, 'must be at most 1000000 ppm (100 %)');

/**
 * Stored with the document; all null when no deposit was requested, and absent (so null)
 * in what was written before deposits existed.
 */
const depositStoredFields = {
  /** The deposit in minor units of the document's currency. */
  depositMinor: PositiveMinorSchema.nullable().default(null),
  /** The percentage it was asked as, or null for a fixed amount. */
  depositPpm: DepositPpmSchema.nullable().default(null),
  depositDueDate: IsoDateSchema.nullable().default(null),
};

/** A fixed amount or a percentage of the total (exactly one), and an optional due date. */
export const DepositInputSchema = z
  .strictObject({
    amountMinor: PositiveMinorSchema.optional(),
    percentPpm: DepositPpmSchema.optional(),
    dueDate: IsoDateSchema.nullable().default(null),
  })
  .refine((d) => (d.amountMinor === undefined) !== (d.percentPpm === undefined), {
    message: 'give either an amount or a percentage of the total',
    path: ['amountMinor'],
  });
export type DepositInput = z.input<typeof DepositInputSchema>;

/**
 * Checks a requested deposit against the lines and due date given with it: more than zero,
 * no more than the total, due no later than the document. Skipped when the total cannot be
 * computed (the lines' own errors say why).
 */
function checkDeposit(
  deposit: DepositRequest | null | undefined,
  lines: readonly z.output<typeof DocumentLineInputSchema>[] | undefined,
  dueDate: string | null | undefined,
  ctx: z.RefinementCtx,
): void {
  if (deposit === null || deposit === undefined) return;
  let totalMinor: number | null = null;
  try {
    totalMinor = lines === undefined ? null : computeDocumentTotals(lines).totalMinor;
  } catch {
    return;
  }
  const fields = depositFields(deposit, totalMinor ?? Number.MAX_SAFE_INTEGER);
  const problem = depositProblem(fields, totalMinor ?? Number.MAX_SAFE_INTEGER, dueDate ?? null);
  if (problem !== null) {
    ctx.addIssue({ code: 'custom', message: problem.message, path: ['deposit', problem.field] });
  }
}

// ---------------------------------------------------------------------------------------
// Quotes

export const QuoteStatusSchema = z.enum([
  'draft',
  'sent',
  'accepted',
  'declined',
  'expired',
  'converted',
]);
export type QuoteStatus = z.infer<typeof QuoteStatusSchema>;

export const QuoteSchema = z.object({
  id: RecordIdSchema,
  clientId: RecordIdSchema,
  /** Assigned when the quote is sent. */
  number: z.string().nullable(),
  currency: CurrencyCodeSchema,
  issueDate: IsoDateSchema,
  validUntil: IsoDateSchema.nullable(),
  status: QuoteStatusSchema,
  lines: z.array(DocumentLineSchema),
  notes,
  convertedInvoiceId: RecordIdSchema.nullable(),
  ...depositStoredFields,
  ...recordTimes,
});
export type Quote = z.infer<typeof QuoteSchema>;

export const QuoteInputSchema = z
  .strictObject({
    /** Client id or name. */
    client: RecordRefSchema,
    /** Defaults to the client's default currency. */
    currency: CurrencyCodeSchema.optional(),
    /** Defaults to today. */
    issueDate: IsoDateSchema.optional(),
    validUntil: IsoDateSchema.nullable().default(null),
    lines: LinesInputSchema.default([]),
    notes: notes.default(''),
    /** A deposit to ask for when the quote becomes an invoice; none by default. */
    deposit: DepositInputSchema.nullable().default(null),
  })
  .refine(
    (q) => q.validUntil === null || q.issueDate === undefined || q.validUntil >= q.issueDate,
    {
      message: 'must not be before the issue date',
      path: ['validUntil'],
    },
  )
  .superRefine((q, ctx) => checkDeposit(q.deposit, q.lines, null, ctx));
export type QuoteInput = z.input<typeof QuoteInputSchema>;

export const QuotePatchSchema = z
  .strictObject({
    currency: CurrencyCodeSchema.optional(),
    issueDate: IsoDateSchema.optional(),
    validUntil: IsoDateSchema.nullable().optional(),
    lines: LinesInputSchema.optional(),
    notes: notes.optional(),
    /** null removes the deposit. */
    deposit: DepositInputSchema.nullable().optional(),
  })
  .superRefine((q, ctx) => checkDeposit(q.deposit, q.lines, null, ctx));
export type QuotePatch = z.input<typeof QuotePatchSchema>;

// ---------------------------------------------------------------------------------------
// Invoices

/** What is stored. */
export const InvoiceStatusSchema = z.enum(['draft', 'sent', 'paid', 'partially_paid', 'void']);
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>;

/** What is shown: the stored status, or `overdue`, derived at read time. */
export const EffectiveInvoiceStatusSchema = z.enum([
  'draft',
  'sent',
  'paid',
  'partially_paid',
  'overdue',
  'void',
]);
export type EffectiveInvoiceStatus = z.infer<typeof EffectiveInvoiceStatusSchema>;

export const InvoiceSchema = z.object({
  id: RecordIdSchema,
  clientId: RecordIdSchema,
  /** Drafts have none; assigned when issued. */
  number: z.string().nullable(),
  currency: CurrencyCodeSchema,
  issueDate: IsoDateSchema.nullable(),
  dueDate: IsoDateSchema.nullable(),
  status: InvoiceStatusSchema,
  lines: z.array(DocumentLineSchema),
  paymentInstructions: PaymentInstructionsSchema.nullable(),
  notes,
  quoteId: RecordIdSchema.nullable(),
  scheduleId: RecordIdSchema.nullable(),
  ...depositStoredFields,
  ...recordTimes,
});
export type Invoice = z.infer<typeof InvoiceSchema>;

const dueNotBeforeIssue = {
  message: 'must not be before the issue date',
  path: ['dueDate'],
};

export const InvoiceDraftInputSchema = z
  .strictObject({
    /** Client id or name. */
    client: RecordRefSchema,
    /** Defaults to the client's default currency. */
    currency: CurrencyCodeSchema.optional(),
    issueDate: IsoDateSchema.nullable().default(null),
    dueDate: IsoDateSchema.nullable().default(null),
    lines: LinesInputSchema.default([]),
    paymentInstructions: PaymentInstructionsSchema.nullable().default(null),
    notes: notes.default(''),
    deposit: DepositInputSchema.nullable().default(null),
  })
  .refine(
    (i) => i.issueDate === null || i.dueDate === null || i.dueDate >= i.issueDate,
    dueNotBeforeIssue,
  )
  .superRefine((i, ctx) => checkDeposit(i.deposit, i.lines, i.dueDate, ctx));
export type InvoiceDraftInput = z.input<typeof InvoiceDraftInputSchema>;

export const InvoicePatchSchema = z
  .strictObject({
    client: RecordRefSchema.optional(),
    currency: CurrencyCodeSchema.optional(),
    issueDate: IsoDateSchema.nullable().optional(),
    dueDate: IsoDateSchema.nullable().optional(),
    lines: LinesInputSchema.optional(),
    paymentInstructions: PaymentInstructionsSchema.nullable().optional(),
    notes: notes.optional(),
    /** null removes the deposit. */
    deposit: DepositInputSchema.nullable().optional(),
  })
  .superRefine((i, ctx) => checkDeposit(i.deposit, i.lines, i.dueDate, ctx));
export type InvoicePatch = z.input<typeof InvoicePatchSchema>;

export const DEFAULT_DUE_DAYS = 30;

export const InvoiceIssueInputSchema = z
  .strictObject({
    /** Defaults to today. */
    issueDate: IsoDateSchema.optional(),
    /** Defaults to the draft's due date, else issue date + `dueDays`. */
    dueDate: IsoDateSchema.optional(),
    dueDays: z.number().int().min(0).max(3650).default(DEFAULT_DUE_DAYS),
  })
  .refine(
    (i) => i.issueDate === undefined || i.dueDate === undefined || i.dueDate >= i.issueDate,
    dueNotBeforeIssue,
  );
export type InvoiceIssueInput = z.input<typeof InvoiceIssueInputSchema>;

export const InvoiceListFilterSchema = z.strictObject({
  status: EffectiveInvoiceStatusSchema.optional(),
  /** Client id or name. */
  client: RecordRefSchema.optional(),
});
export type InvoiceListFilter = z.input<typeof InvoiceListFilterSchema>;

// ---------------------------------------------------------------------------------------
// Payments

export const PaymentAllocationSchema = z.object({
  invoiceId: RecordIdSchema,
  amountMinor: PositiveMinorSchema,
});
export type PaymentAllocation = z.infer<typeof PaymentAllocationSchema>;

export const PaymentSchema = z.object({
  id: RecordIdSchema,
  clientId: RecordIdSchema.nullable(),
  date: IsoDateSchema,
  amountMinor: PositiveMinorSchema,
  currency: CurrencyCodeSchema,
  method: PaymentMethodSchema,
  reference: z.string().max(TEXT_SHORT),
  allocations: z.array(PaymentAllocationSchema),
  /** The account the money went into, for reference only: no transaction is created. */
  accountId: RecordIdSchema.nullable(),
  ...recordTimes,
});
export type Payment = z.infer<typeof PaymentSchema>;

export const PaymentInputSchema = z.strictObject({
  /** Client id or name; defaults to the client of the allocated invoices. */
  client: RecordRefSchema.nullable().default(null),
  date: IsoDateSchema,
  amountMinor: PositiveMinorSchema,
  currency: CurrencyCodeSchema,
  method: PaymentMethodSchema.default('other'),
  reference: z.string().trim().max(TEXT_SHORT).default(''),
  allocations: z
    .array(
      z.strictObject({
        /** Invoice id or number. */
        invoice: RecordRefSchema,
        amountMinor: PositiveMinorSchema,
      }),
    )
    .max(MAX_DOCUMENT_LINES)
    .default([]),
  accountId: RecordIdSchema.nullable().default(null),
});
export type PaymentInput = z.input<typeof PaymentInputSchema>;

/** Pay one invoice; amount and currency default to the balance due and the invoice currency. */
export const InvoicePaymentInputSchema = z.strictObject({
  amountMinor: PositiveMinorSchema.optional(),
  currency: CurrencyCodeSchema.optional(),
  /** Defaults to today. */
  date: IsoDateSchema.optional(),
  method: PaymentMethodSchema.default('other'),
  reference: z.string().trim().max(TEXT_SHORT).default(''),
  accountId: RecordIdSchema.nullable().default(null),
});
export type InvoicePaymentInput = z.input<typeof InvoicePaymentInputSchema>;

// ---------------------------------------------------------------------------------------
// Recurring schedules

export const RecurringFrequencySchema = z.enum(['weekly', 'monthly', 'quarterly', 'yearly']);
export type RecurringFrequency = z.infer<typeof RecurringFrequencySchema>;

export const RecurringScheduleSchema = z.object({
  id: RecordIdSchema,
  clientId: RecordIdSchema,
  currency: CurrencyCodeSchema,
  frequency: RecurringFrequencySchema,
  /** Every `interval` weeks/months/quarters/years. */
  interval: z.number().int().min(1).max(1_000),
  startDate: IsoDateSchema,
  /** Date of the next invoice to generate. */
  nextDate: IsoDateSchema,
  /** Last date an invoice may be dated; null = no end. */
  endDate: IsoDateSchema.nullable(),
  /** Generated invoices are due this many days after their issue date. */
  dueDays: z.number().int().min(0).max(3_650),
  lines: z.array(DocumentLineSchema),
  paymentInstructions: PaymentInstructionsSchema.nullable(),
  notes,
  active: z.boolean(),
  /** A deposit each generated invoice asks for; null when none. */
  depositMinor: PositiveMinorSchema.nullable().default(null),
  depositPpm: DepositPpmSchema.nullable().default(null),
  /** The deposit falls due this many days after each invoice's issue date; null: no date. */
  depositDueDays: z.number().int().min(0).max(3_650).nullable().default(null),
  ...recordTimes,
});
export type RecurringSchedule = z.infer<typeof RecurringScheduleSchema>;

/** A fixed amount or a percentage (exactly one), due some days after each invoice is issued. */
export const RecurringDepositInputSchema = z
  .strictObject({
    amountMinor: PositiveMinorSchema.optional(),
    percentPpm: DepositPpmSchema.optional(),
    dueDays: z.number().int().min(0).max(3_650).nullable().default(null),
  })
  .refine((d) => (d.amountMinor === undefined) !== (d.percentPpm === undefined), {
    message: 'give either an amount or a percentage of the total',
    path: ['amountMinor'],
  });

export const RecurringScheduleInputSchema = z
  .strictObject({
    client: RecordRefSchema,
    currency: CurrencyCodeSchema.optional(),
    frequency: RecurringFrequencySchema,
    interval: RecurringScheduleSchema.shape.interval.default(1),
    startDate: IsoDateSchema,
    endDate: IsoDateSchema.nullable().default(null),
    dueDays: RecurringScheduleSchema.shape.dueDays.default(DEFAULT_DUE_DAYS),
    lines: LinesInputSchema.min(1, 'must have at least one line'),
    paymentInstructions: PaymentInstructionsSchema.nullable().default(null),
    notes: notes.default(''),
    /** A deposit template: each generated invoice asks for it. */
    deposit: RecurringDepositInputSchema.nullable().default(null),
  })
  .refine((s) => s.endDate === null || s.endDate >= s.startDate, {
    message: 'must not be before the start date',
    path: ['endDate'],
  })
  .superRefine((s, ctx) => {
    if (s.deposit === null) return;
    checkDeposit({ ...s.deposit, dueDate: null }, s.lines, null, ctx);
    if (s.deposit.dueDays !== null && s.deposit.dueDays > s.dueDays) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most the invoice's ${s.dueDays} days`,
        path: ['deposit', 'dueDays'],
      });
    }
  });
export type RecurringScheduleInput = z.input<typeof RecurringScheduleInputSchema>;

// ---------------------------------------------------------------------------------------
// Contracts

export const ContractStatusSchema = z.enum(['draft', 'sent', 'signed', 'void']);
export type ContractStatus = z.infer<typeof ContractStatusSchema>;

export const ContractSchema = z.object({
  id: RecordIdSchema,
  clientId: RecordIdSchema,
  title: NameTextSchema,
  status: ContractStatusSchema,
  /** The contract document, stored encrypted in the vault. */
  attachmentId: RecordIdSchema.nullable(),
  notes,
  /** UTC ms when it was signed. */
  signedAt: z.number().int().nonnegative().nullable(),
  ...recordTimes,
});
export type Contract = z.infer<typeof ContractSchema>;

export const ContractInputSchema = z.strictObject({
  client: RecordRefSchema,
  title: ContractSchema.shape.title,
  notes: notes.default(''),
});
export type ContractInput = z.input<typeof ContractInputSchema>;

// ---------------------------------------------------------------------------------------
// Receipts

export const ReceiptSchema = z.object({
  id: RecordIdSchema,
  transactionId: RecordIdSchema.nullable(),
  date: IsoDateSchema,
  merchant: z.string().trim().max(TEXT_SHORT),
  /** Set together with `currency`, or both null. */
  amountMinor: NonNegativeMinorSchema.nullable(),
  currency: CurrencyCodeSchema.nullable(),
  /** The receipt image or PDF, stored encrypted in the vault. */
  attachmentId: RecordIdSchema,
  notes,
  ...recordTimes,
});
export type Receipt = z.infer<typeof ReceiptSchema>;

export const ReceiptInputSchema = z
  .strictObject({
    transactionId: RecordIdSchema.nullable().default(null),
    date: IsoDateSchema,
    merchant: ReceiptSchema.shape.merchant.default(''),
    amountMinor: NonNegativeMinorSchema.nullable().default(null),
    currency: CurrencyCodeSchema.nullable().default(null),
    notes: notes.default(''),
  })
  .refine((r) => (r.amountMinor === null) === (r.currency === null), {
    message: 'amount and currency must be given together',
    path: [],
  });
export type ReceiptInput = z.input<typeof ReceiptInputSchema>;
