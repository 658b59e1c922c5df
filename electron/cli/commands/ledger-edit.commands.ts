import { ACCOUNT_KINDS, CATEGORY_KINDS } from '../../../shared/domain/ledger.schema.js';
import { oneOf, optionalString, requireString } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { amountArg, showMoney } from '../amounts.js';
import {
  ARCHIVE_OPTIONS,
  ONE_REF,
  archivedArg,
  clearableString,
  refArg,
  requireSomeOption,
} from '../edit-options.js';

const TX_EDIT_OPTIONS = ['amount', 'date', 'payee', 'category', 'notes'] as const;

export const txEditCommand: Command = {
  path: ['tx', 'edit'],
  summary:
    'Change a transaction\'s amount, date, payee, category or notes (`--category ""`, `--payee ""` or `--notes ""` clears one).',
  usage:
    'tx edit ID [--amount -12.34] [--date YYYY-MM-DD] [--payee P] [--category C] [--notes TEXT]',
  options: {
    amount: { type: 'string' },
    date: { type: 'string' },
    payee: { type: 'string' },
    category: { type: 'string' },
    notes: { type: 'string' },
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    requireSomeOption(args, TX_EDIT_OPTIONS);
    const id = refArg(args, 'the transaction id');
    const { transactions } = await ctx.services();
    // The amount is typed in the transaction's own currency (its account's), as `tx add` does.
    const before = transactions.get(id);
    const amount = optionalString(args, 'amount');
    const payee = clearableString(args, 'payee');
    const category = clearableString(args, 'category');
    const notes = optionalString(args, 'notes');
    const date = optionalString(args, 'date');
    const tx = transactions.update(before.id, {
      ...(amount === undefined ? {} : { amountMinor: amountArg(amount, before.currency) }),
      ...(date === undefined ? {} : { date }),
      ...(payee === undefined ? {} : payee === null ? { payeeId: null } : { payeeName: payee }),
      ...(category === undefined ? {} : { categoryId: category }),
      ...(notes === undefined ? {} : { notes }),
    });
    return {
      data: tx,
      text: `Updated transaction ${tx.id}: ${showMoney(tx.amountMinor, tx.currency)} on ${tx.date}${tx.payeeName === null ? '' : `, ${tx.payeeName}`}`,
    };
  },
};

export const txDeleteCommand: Command = {
  path: ['tx', 'delete'],
  summary: 'Delete a transaction (kept as a tombstone, so sync and re-imports know it).',
  usage: 'tx delete ID',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const id = refArg(args, 'the transaction id');
    const { transactions } = await ctx.services();
    const found = transactions.get(id);
    transactions.delete(found.id);
    return { data: { deleted: found.id }, text: `Deleted transaction ${found.id}` };
  },
};

const ACCOUNT_EDIT_OPTIONS = ['name', 'kind', 'opening', 'archive', 'unarchive'] as const;

export const accountEditCommand: Command = {
  path: ['account', 'edit'],
  summary:
    "Rename an account, change its kind or opening balance (in the account's currency), or archive it.",
  usage: `account edit ID|NAME [--name NAME] [--kind ${ACCOUNT_KINDS.join('|')}] [--opening AMOUNT] [--archive|--unarchive]`,
  options: {
    name: { type: 'string' },
    kind: { type: 'string' },
    opening: { type: 'string' },
    ...ARCHIVE_OPTIONS,
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    requireSomeOption(args, ACCOUNT_EDIT_OPTIONS);
    const ref = refArg(args, 'the account');
    const kind = oneOf(optionalString(args, 'kind'), ACCOUNT_KINDS, 'kind');
    const archived = archivedArg(args);
    const { accounts } = await ctx.services();
    const before = accounts.resolveAccount(ref);
    const name = optionalString(args, 'name');
    const opening = optionalString(args, 'opening');
    const account = accounts.update(before.id, {
      ...(name === undefined ? {} : { name }),
      ...(kind === undefined ? {} : { kind }),
      ...(opening === undefined
        ? {}
        : { openingBalanceMinor: amountArg(opening, before.currency) }),
      ...archived,
    });
    return { data: account, text: `Updated account "${account.name}", id ${account.id}` };
  },
};

export const accountDeleteCommand: Command = {
  path: ['account', 'delete'],
  summary: 'Delete an account that holds no transactions (archive one that does).',
  usage: 'account delete ID|NAME',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { accounts } = await ctx.services();
    const account = accounts.resolveAccount(refArg(args, 'the account'));
    accounts.delete(account.id);
    return { data: { deleted: account.id }, text: `Deleted account "${account.name}"` };
  },
};

const CATEGORY_EDIT_OPTIONS = ['name', 'kind', 'parent', 'archive', 'unarchive'] as const;

export const categoryEditCommand: Command = {
  path: ['category', 'edit'],
  summary:
    'Rename a category, change its kind or parent (`--parent ""` makes it top-level), or archive it.',
  usage: `category edit ID|NAME [--name NAME] [--kind ${CATEGORY_KINDS.join('|')}] [--parent NAME] [--archive|--unarchive]`,
  options: {
    name: { type: 'string' },
    kind: { type: 'string' },
    parent: { type: 'string' },
    ...ARCHIVE_OPTIONS,
  },
  positionals: ONE_REF,
  async run(ctx, args) {
    requireSomeOption(args, CATEGORY_EDIT_OPTIONS);
    const ref = refArg(args, 'the category');
    const kind = oneOf(optionalString(args, 'kind'), CATEGORY_KINDS, 'kind');
    const archived = archivedArg(args);
    const { categories } = await ctx.services();
    const before = categories.resolveCategory(ref);
    const name = optionalString(args, 'name');
    const parent = clearableString(args, 'parent');
    const category = categories.update(before.id, {
      ...(name === undefined ? {} : { name }),
      ...(kind === undefined ? {} : { kind }),
      ...(parent === undefined ? {} : { parentId: parent }),
      ...archived,
    });
    return { data: category, text: `Updated category "${category.name}", id ${category.id}` };
  },
};

export const categoryDeleteCommand: Command = {
  path: ['category', 'delete'],
  summary: 'Delete a category nothing uses (archive one that is in use).',
  usage: 'category delete ID|NAME',
  options: {},
  positionals: ONE_REF,
  async run(ctx, args) {
    const { categories } = await ctx.services();
    const category = categories.resolveCategory(refArg(args, 'the category'));
    categories.delete(category.id);
    return { data: { deleted: category.id }, text: `Deleted category "${category.name}"` };
  },
};

export const budgetDeleteCommand: Command = {
  path: ['budget', 'delete'],
  summary: "Remove a category's budget for a month (`budget set` changes one).",
  usage: 'budget delete --month YYYY-MM --category NAME',
  options: { month: { type: 'string' }, category: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const month = requireString(args, 'month');
    const category = requireString(args, 'category');
    const { budgets } = await ctx.services();
    const budget = budgets.get(month, category);
    // Without a budget this throws the service's NOT_FOUND, so `budget` is set past it.
    budgets.remove(month, category);
    return {
      data: { deleted: budget?.id ?? null },
      text: `Removed the ${month} budget for "${category}"`,
    };
  },
};

export const LEDGER_EDIT_COMMANDS: Command[] = [
  accountEditCommand,
  accountDeleteCommand,
  categoryEditCommand,
  categoryDeleteCommand,
  txEditCommand,
  txDeleteCommand,
  budgetDeleteCommand,
];
