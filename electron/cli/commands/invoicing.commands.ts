import { hostname } from 'node:os';

import {
  EffectiveInvoiceStatusSchema,
  PaymentMethodSchema,
  type Client,
} from '../../../shared/domain/invoicing.schema.js';
import { issueInvoice } from '../../core/invoicing/invoice-issuer.js';
import type { InvoiceView } from '../../core/invoicing/invoice.service.js';
import { invoiceNumberSourceFor } from '../../core/sync/server-invoice-numbers.js';
import type { CoreServices } from '../../core/core-services.js';
import { oneOf, optionalInteger, optionalString, requireString, type ParsedArgs } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { amountArg, currencyArg, showMoney } from '../amounts.js';
import { LINE_USAGE, linesArg } from '../document-line-arg.js';
import { DEPOSIT_OPTIONS, DEPOSIT_USAGE, depositArg } from '../deposit-arg.js';
import { formatTable } from '../output.js';
import { UsageError } from '../usage-error.js';

const ONE_REF = { min: 1, max: 1 } as const;

const optionalCurrency = (text: string | undefined): string | null =>
  text === undefined ? null : currencyArg(text);

/** The currency a new document is written in: --currency, else the client's default. */
function documentCurrency(services: CoreServices, clientRef: string, args: ParsedArgs): string {
  const given = optionalString(args, 'currency');
  if (given !== undefined) return currencyArg(given);
  const client: Client = services.clients.resolve(clientRef);
  if (client.defaultCurrency === null) {
    throw new UsageError(`--currency is required: client "${client.name}" has no default currency`);
  }
  return client.defaultCurrency;
}

function invoiceSummary(invoice: InvoiceView): string[] {
  return [
    invoice.number ?? '(draft)',
    invoice.clientName,
    invoice.effectiveStatus,
    invoice.dueDate ?? '',
    showMoney(invoice.totals.totalMinor, invoice.currency),
    showMoney(invoice.balanceDueMinor, invoice.currency),
    invoice.id,
  ];
}

const INVOICE_HEADERS = ['NUMBER', 'CLIENT', 'STATUS', 'DUE', 'TOTAL', 'BALANCE DUE', 'ID'];

export const clientAddCommand: Command = {
  path: ['client', 'add'],
  summary: 'Add a client.',
  usage:
    'client add --name NAME [--email E] [--currency CODE] [--address TEXT] [--tax-id ID] [--phone P]',
  options: {
    name: { type: 'string' },
    email: { type: 'string' },
    currency: { type: 'string' },
    address: { type: 'string' },
    'tax-id': { type: 'string' },
    phone: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { clients } = await ctx.services();
    const client = clients.create({
      name: requireString(args, 'name'),
      email: optionalString(args, 'email') ?? null,
      phone: optionalString(args, 'phone') ?? null,
      address: optionalString(args, 'address') ?? null,
      taxId: optionalString(args, 'tax-id') ?? null,
      defaultCurrency: optionalCurrency(optionalString(args, 'currency')),
    });
    return { data: client, text: `Added client "${client.name}", id ${client.id}` };
  },
};

export const clientListCommand: Command = {
  path: ['client', 'list'],
  summary: 'List clients.',
  usage: 'client list',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const { clients } = await ctx.services();
    const rows = clients.list();
    return {
      data: { clients: rows },
      text: formatTable(
        ['NAME', 'EMAIL', 'CURRENCY', 'ID'],
        rows.map((c) => [c.name, c.email ?? '', c.defaultCurrency ?? '', c.id]),
      ),
    };
  },
};

export const invoiceCreateCommand: Command = {
  path: ['invoice', 'create'],
  summary: 'Create a draft invoice (numbered when issued).',
  usage: `invoice create --client NAME [--currency CODE] ${LINE_USAGE}... [--due-date YYYY-MM-DD] ${DEPOSIT_USAGE} [--pay-method METHOD --pay-details TEXT] [--notes TEXT]`,
  options: {
    client: { type: 'string' },
    currency: { type: 'string' },
    line: { type: 'string', multiple: true },
    'due-date': { type: 'string' },
    ...DEPOSIT_OPTIONS,
    'pay-method': { type: 'string' },
    'pay-details': { type: 'string' },
    notes: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const services = await ctx.services();
    const client = requireString(args, 'client');
    const currency = documentCurrency(services, client, args);
    const method = oneOf(
      optionalString(args, 'pay-method'),
      PaymentMethodSchema.options,
      'pay-method',
    );
    const details = optionalString(args, 'pay-details');
    if (details !== undefined && method === undefined)
      throw new UsageError('--pay-details needs --pay-method');
    const notes = optionalString(args, 'notes');
    const invoice = services.invoices.createDraft({
      client,
      currency,
      lines: linesArg(args.values['line'], currency),
      dueDate: optionalString(args, 'due-date') ?? null,
      paymentInstructions: method === undefined ? null : { method, details: details ?? '' },
      notes,
      deposit: depositArg(args, currency),
    });
    return {
      data: invoice,
      text: `Created draft invoice for "${invoice.clientName}", total ${showMoney(invoice.totals.totalMinor, invoice.currency)}, id ${invoice.id}`,
    };
  },
};

export const invoiceListCommand: Command = {
  path: ['invoice', 'list'],
  summary: 'List invoices with their totals and what is still due.',
  usage: `invoice list [--status ${EffectiveInvoiceStatusSchema.options.join('|')}] [--client NAME]`,
  options: { status: { type: 'string' }, client: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { invoices } = await ctx.services();
    const status = oneOf(
      optionalString(args, 'status'),
      EffectiveInvoiceStatusSchema.options,
      'status',
    );
    const client = optionalString(args, 'client');
    const rows = invoices.list({
      status,
      client,
    });
    return {
      data: { invoices: rows },
      text: formatTable(INVOICE_HEADERS, rows.map(invoiceSummary)),
    };
  },
};

export const invoiceShowCommand: Command = {
  path: ['invoice', 'show'],
  summary: 'Show one invoice with its lines, totals and payments.',
  usage: 'invoice show NUMBER|ID',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { invoices } = await ctx.services();
    const invoice = invoices.get(args.positionals[0] as string);
    const money = (minor: number): string => showMoney(minor, invoice.currency);
    const lines = invoice.lines.map((line, i) => {
      const totals = invoice.totals.lines[i];
      return [
        line.description,
        String(line.quantityMilli / 1000),
        money(line.unitPriceMinor),
        `${line.taxRatePpm / 10_000}%`,
        money(totals?.totalMinor ?? 0),
      ];
    });
    const text = [
      `Invoice ${invoice.number ?? '(draft)'} — ${invoice.clientName} — ${invoice.effectiveStatus}`,
      `issued ${invoice.issueDate ?? '-'}, due ${invoice.dueDate ?? '-'}`,
      formatTable(['DESCRIPTION', 'QTY', 'UNIT PRICE', 'TAX', 'TOTAL'], lines),
      `subtotal ${money(invoice.totals.subtotalMinor)}  tax ${money(invoice.totals.taxMinor)}  total ${money(invoice.totals.totalMinor)}`,
      ...(invoice.depositMinor === null
        ? []
        : [
            `deposit requested ${money(invoice.depositMinor)}${invoice.depositDueDate === null ? '' : `, due ${invoice.depositDueDate}`}  deposit outstanding ${money(invoice.depositOutstandingMinor)}`,
          ]),
      `paid ${money(invoice.paidMinor)}  balance due ${money(invoice.balanceDueMinor)}`,
      ...(invoice.paymentInstructions === null
        ? []
        : [`pay by ${invoice.paymentInstructions.method}: ${invoice.paymentInstructions.details}`]),
    ].join('\n');
    return { data: invoice, text };
  },
};

export const invoiceIssueCommand: Command = {
  path: ['invoice', 'issue'],
  summary: 'Issue a draft: give it a number, an issue date and a due date.',
  usage: 'invoice issue ID [--date YYYY-MM-DD] [--due-date YYYY-MM-DD | --due-days N]',
  options: {
    date: { type: 'string' },
    'due-date': { type: 'string' },
    'due-days': { type: 'string' },
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    const { invoices, vault } = await ctx.services();
    const issueDate = optionalString(args, 'date');
    const dueDate = optionalString(args, 'due-date');
    const dueDays = optionalInteger(args, 'due-days');
    // A vault synced with a workspace takes the number from the sync server.
    const numbers = invoiceNumberSourceFor({
      vault,
      keyStore: ctx.keyStore(),
      deviceName: `coffer CLI on ${hostname()}`.slice(0, 100),
    });
    const invoice = await issueInvoice(invoices, numbers, args.positionals[0] as string, {
      issueDate,
      dueDate,
      dueDays,
    });
    return {
      data: invoice,
      text: `Issued invoice ${invoice.number ?? ''}, due ${invoice.dueDate ?? ''}`,
    };
  },
};

export const invoicePayCommand: Command = {
  path: ['invoice', 'pay'],
  summary: 'Record a payment against an invoice (default: the whole balance due).',
  usage: `invoice pay NUMBER|ID [--amount AMOUNT] [--date YYYY-MM-DD] [--method ${PaymentMethodSchema.options.join('|')}] [--reference TEXT]`,
  options: {
    amount: { type: 'string' },
    date: { type: 'string' },
    method: { type: 'string' },
    reference: { type: 'string' },
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    const { invoices, payments } = await ctx.services();
    const ref = args.positionals[0] as string;
    const target = invoices.resolve(ref);
    const amount = optionalString(args, 'amount');
    const date = optionalString(args, 'date');
    const method = oneOf(optionalString(args, 'method'), PaymentMethodSchema.options, 'method');
    const reference = optionalString(args, 'reference');
    const payment = payments.payInvoice(target.id, {
      ...(amount === undefined ? {} : { amountMinor: amountArg(amount, target.currency) }),
      date,
      method,
      reference,
    });
    const after = invoices.get(target.id);
    return {
      data: { payment, invoice: after },
      text: `Recorded ${showMoney(payment.amountMinor, payment.currency)} on ${after.number ?? after.id}; it is now ${after.effectiveStatus}, ${showMoney(after.balanceDueMinor, after.currency)} due`,
    };
  },
};

export const quoteCreateCommand: Command = {
  path: ['quote', 'create'],
  summary: 'Create a quote.',
  usage: `quote create --client NAME [--currency CODE] ${LINE_USAGE}... [--valid-until YYYY-MM-DD] ${DEPOSIT_USAGE} [--notes TEXT]`,
  options: {
    client: { type: 'string' },
    currency: { type: 'string' },
    line: { type: 'string', multiple: true },
    'valid-until': { type: 'string' },
    ...DEPOSIT_OPTIONS,
    notes: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const services = await ctx.services();
    const client = requireString(args, 'client');
    const currency = documentCurrency(services, client, args);
    const notes = optionalString(args, 'notes');
    const quote = services.quotes.create({
      client,
      currency,
      lines: linesArg(args.values['line'], currency),
      validUntil: optionalString(args, 'valid-until') ?? null,
      notes,
      deposit: depositArg(args, currency),
    });
    return {
      data: quote,
      text: `Created quote for "${quote.clientName}", total ${showMoney(quote.totals.totalMinor, quote.currency)}, id ${quote.id}`,
    };
  },
};

export const quoteConvertCommand: Command = {
  path: ['quote', 'convert'],
  summary: 'Turn a quote into a draft invoice with the same lines.',
  usage: 'quote convert NUMBER|ID',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { quotes } = await ctx.services();
    const { quote, invoice } = quotes.convert(args.positionals[0] as string);
    return {
      data: { quote, invoice },
      text: `Converted quote ${quote.number ?? quote.id} into draft invoice ${invoice.id}`,
    };
  },
};

export const recurringRunCommand: Command = {
  path: ['recurring', 'run'],
  summary: 'Issue every recurring invoice that has come due (safe to run more than once a day).',
  usage: 'recurring run',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const { recurring } = await ctx.services();
    const generated = recurring.generateDue();
    return {
      data: { generated },
      text:
        generated.length === 0
          ? 'No recurring invoice is due.'
          : formatTable(
              INVOICE_HEADERS,
              generated.map((g) => invoiceSummary(g.invoice)),
            ),
    };
  },
};

export const INVOICING_COMMANDS: Command[] = [
  clientAddCommand,
  clientListCommand,
  invoiceCreateCommand,
  invoiceListCommand,
  invoiceShowCommand,
  invoiceIssueCommand,
  invoicePayCommand,
  quoteCreateCommand,
  quoteConvertCommand,
  recurringRunCommand,
];
