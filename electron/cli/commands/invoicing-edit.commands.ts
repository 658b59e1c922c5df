import type { ClientPatch } from '../../../shared/domain/invoicing.schema.js';
import type { Command } from '../command.js';
import { currencyArg } from '../amounts.js';
import { ONE_REF, clearableString, refArg, requireSomeOption } from '../edit-options.js';
import { optionalString } from '../args.js';

/** Option name → the nullable client field it sets; `--opt ""` clears it. */
const CLEARABLE_CLIENT_FIELDS = {
  email: 'email',
  phone: 'phone',
  address: 'address',
  'tax-id': 'taxId',
} as const;

export const clientEditCommand: Command = {
  path: ['client', 'edit'],
  summary: 'Change a client\'s details (`--email ""` and the like clear one).',
  usage:
    'client edit ID|NAME [--name NAME] [--email E] [--currency CODE] [--address TEXT] [--tax-id ID] [--phone P] [--notes TEXT]',
  options: {
    name: { type: 'string' },
    email: { type: 'string' },
    currency: { type: 'string' },
    address: { type: 'string' },
    'tax-id': { type: 'string' },
    phone: { type: 'string' },
    notes: { type: 'string' },
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    requireSomeOption(args, ['name', 'currency', 'notes', ...Object.keys(CLEARABLE_CLIENT_FIELDS)]);
    const ref = refArg(args, 'the client');
    const patch: ClientPatch = {};
    const name = optionalString(args, 'name');
    if (name !== undefined) patch.name = name;
    // Notes are text, never null: `--notes ""` empties them.
    const notes = optionalString(args, 'notes');
    if (notes !== undefined) patch.notes = notes;
    const currency = clearableString(args, 'currency');
    if (currency !== undefined) {
      patch.defaultCurrency = currency === null ? null : currencyArg(currency);
    }
    for (const [option, field] of Object.entries(CLEARABLE_CLIENT_FIELDS)) {
      const value = clearableString(args, option);
      if (value !== undefined) patch[field] = value;
    }
    const { clients } = await ctx.services();
    const before = clients.resolve(ref);
    const client = clients.update(before.id, patch);
    return { data: client, text: `Updated client "${client.name}", id ${client.id}` };
  },
};

export const clientDeleteCommand: Command = {
  path: ['client', 'delete'],
  summary: 'Delete a client no invoice, quote, payment, schedule or contract refers to.',
  usage: 'client delete ID|NAME',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { clients } = await ctx.services();
    const client = clients.resolve(refArg(args, 'the client'));
    clients.delete(client.id);
    return { data: { deleted: client.id }, text: `Deleted client "${client.name}"` };
  },
};

export const invoiceDeleteCommand: Command = {
  path: ['invoice', 'delete'],
  summary: 'Delete a draft invoice. An issued invoice keeps its number: void it instead.',
  usage: 'invoice delete ID',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { invoices } = await ctx.services();
    const invoice = invoices.resolve(refArg(args, 'the invoice'));
    invoices.deleteDraft(invoice.id);
    return { data: { deleted: invoice.id }, text: `Deleted draft invoice ${invoice.id}` };
  },
};

export const invoiceVoidCommand: Command = {
  path: ['invoice', 'void'],
  summary: 'Void an invoice that has no payments; its number stays used.',
  usage: 'invoice void ID|NUMBER',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { invoices } = await ctx.services();
    const invoice = invoices.voidInvoice(refArg(args, 'the invoice'));
    return {
      data: invoice,
      text: `Voided invoice ${invoice.number ?? '(draft)'}, id ${invoice.id}`,
    };
  },
};

export const quoteDeleteCommand: Command = {
  path: ['quote', 'delete'],
  summary: 'Delete a draft quote. A sent quote keeps its number: decline it instead.',
  usage: 'quote delete ID|NUMBER',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { quotes } = await ctx.services();
    const quote = quotes.resolve(refArg(args, 'the quote'));
    quotes.deleteDraft(quote.id);
    return { data: { deleted: quote.id }, text: `Deleted draft quote ${quote.id}` };
  },
};

export const INVOICING_EDIT_COMMANDS: Command[] = [
  clientEditCommand,
  clientDeleteCommand,
  invoiceDeleteCommand,
  invoiceVoidCommand,
  quoteDeleteCommand,
];
