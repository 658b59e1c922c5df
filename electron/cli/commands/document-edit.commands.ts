import type { InvoicePatch, QuotePatch } from '../../../shared/domain/invoicing.schema.js';
import { optionalString, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { showMoney } from '../amounts.js';
import { LINE_USAGE, linesArg } from '../document-line-arg.js';
import { ONE_REF, clearableString, refArg, requireSomeOption } from '../edit-options.js';

/** `--line` given at least once replaces every line; prices are read in the document's currency. */
function linesPatch(args: ParsedArgs, currency: string): Pick<InvoicePatch, 'lines'> {
  return args.values['line'] === undefined
    ? {}
    : { lines: linesArg(args.values['line'], currency) };
}

function notesPatch(args: ParsedArgs): Pick<InvoicePatch, 'notes'> {
  const notes = optionalString(args, 'notes');
  return notes === undefined ? {} : { notes };
}

const INVOICE_EDIT_OPTIONS = ['client', 'line', 'due-date', 'notes'] as const;

export const invoiceEditCommand: Command = {
  path: ['invoice', 'edit'],
  summary:
    'Change a draft invoice: its client, its lines (all replaced), due date (`""` clears) or notes.',
  usage: `invoice edit ID [--client NAME] [${LINE_USAGE}...] [--due-date YYYY-MM-DD] [--notes TEXT]`,
  options: {
    client: { type: 'string' },
    line: { type: 'string', multiple: true },
    'due-date': { type: 'string' },
    notes: { type: 'string' },
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    requireSomeOption(args, INVOICE_EDIT_OPTIONS);
    const ref = refArg(args, 'the invoice');
    const { invoices } = await ctx.services();
    const before = invoices.resolve(ref);
    const client = optionalString(args, 'client');
    const dueDate = clearableString(args, 'due-date');
    const patch: InvoicePatch = {
      ...(client === undefined ? {} : { client }),
      ...linesPatch(args, before.currency),
      ...(dueDate === undefined ? {} : { dueDate }),
      ...notesPatch(args),
    };
    const invoice = invoices.updateDraft(before.id, patch);
    return {
      data: invoice,
      text: `Updated draft invoice for "${invoice.clientName}", total ${showMoney(invoice.totals.totalMinor, invoice.currency)}, id ${invoice.id}`,
    };
  },
};

const QUOTE_EDIT_OPTIONS = ['line', 'valid-until', 'notes'] as const;

export const quoteEditCommand: Command = {
  path: ['quote', 'edit'],
  summary:
    'Change a draft quote: its lines (all replaced), how long it is valid (`""` clears) or notes.',
  usage: `quote edit ID [${LINE_USAGE}...] [--valid-until YYYY-MM-DD] [--notes TEXT]`,
  options: {
    line: { type: 'string', multiple: true },
    'valid-until': { type: 'string' },
    notes: { type: 'string' },
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    requireSomeOption(args, QUOTE_EDIT_OPTIONS);
    const ref = refArg(args, 'the quote');
    const { quotes } = await ctx.services();
    const before = quotes.resolve(ref);
    const validUntil = clearableString(args, 'valid-until');
    const patch: QuotePatch = {
      ...linesPatch(args, before.currency),
      ...(validUntil === undefined ? {} : { validUntil }),
      ...notesPatch(args),
    };
    const quote = quotes.update(before.id, patch);
    return {
      data: quote,
      text: `Updated quote for "${quote.clientName}", total ${showMoney(quote.totals.totalMinor, quote.currency)}, id ${quote.id}`,
    };
  },
};

export const DOCUMENT_EDIT_COMMANDS: Command[] = [invoiceEditCommand, quoteEditCommand];
