import { ACCOUNT_KINDS, CATEGORY_KINDS } from '../../../shared/domain/ledger.schema.js';
import { assertIsoMonth } from '../../../shared/dates/iso-date.js';
import { flag, oneOf, optionalInteger, optionalString, requireString } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { amountArg, currencyArg, showMoney } from '../amounts.js';
import { formatTable } from '../output.js';

export const accountAddCommand: Command = {
  path: ['account', 'add'],
  summary: 'Add an account.',
  usage: `account add --name NAME --currency CODE [--kind ${ACCOUNT_KINDS.join('|')}] [--opening AMOUNT]`,
  options: {
    name: { type: 'string' },
    currency: { type: 'string' },
    kind: { type: 'string' },
    opening: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const currency = currencyArg(requireString(args, 'currency'));
    const opening = optionalString(args, 'opening');
    const kind = oneOf(optionalString(args, 'kind'), ACCOUNT_KINDS, 'kind');
    const { accounts } = await ctx.services();
    const account = accounts.create({
      name: requireString(args, 'name'),
      currency,
      kind,
      ...(opening === undefined ? {} : { openingBalanceMinor: amountArg(opening, currency) }),
    });
    return {
      data: account,
      text: `Added account "${account.name}" (${account.currency}), id ${account.id}`,
    };
  },
};

export const accountListCommand: Command = {
  path: ['account', 'list'],
  summary: 'List accounts with their balances (derived from transactions).',
  usage: 'account list [--archived]',
  options: { archived: { type: 'boolean' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { balances } = await ctx.services();
    const rows = balances.balances({ includeArchived: flag(args, 'archived') });
    return {
      data: { accounts: rows },
      text: formatTable(
        ['NAME', 'CURRENCY', 'BALANCE', 'ID'],
        rows.map((r) => [r.name, r.currency, showMoney(r.balanceMinor, r.currency), r.accountId]),
      ),
    };
  },
};

export const categoryAddCommand: Command = {
  path: ['category', 'add'],
  summary: 'Add a spending or income category.',
  usage: `category add --name NAME [--kind ${CATEGORY_KINDS.join('|')}] [--parent NAME]`,
  options: { name: { type: 'string' }, kind: { type: 'string' }, parent: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { categories } = await ctx.services();
    const kind = oneOf(optionalString(args, 'kind'), CATEGORY_KINDS, 'kind');
    const parent = optionalString(args, 'parent');
    const category = categories.create({
      name: requireString(args, 'name'),
      kind,
      parentId: parent,
    });
    return {
      data: category,
      text: `Added ${category.kind} category "${category.name}", id ${category.id}`,
    };
  },
};

export const categoryListCommand: Command = {
  path: ['category', 'list'],
  summary: 'List categories.',
  usage: 'category list',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const { categories } = await ctx.services();
    const rows = categories.list();
    return {
      data: { categories: rows },
      text: formatTable(
        ['NAME', 'KIND', 'ID'],
        rows.map((c) => [c.name, c.kind, c.id]),
      ),
    };
  },
};

export const txAddCommand: Command = {
  path: ['tx', 'add'],
  summary: 'Record a transaction (negative amount = money out).',
  usage:
    'tx add --account NAME --amount -12.34 --date YYYY-MM-DD [--payee P] [--category C] [--notes TEXT]',
  options: {
    account: { type: 'string' },
    amount: { type: 'string' },
    date: { type: 'string' },
    payee: { type: 'string' },
    category: { type: 'string' },
    notes: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { accounts, transactions } = await ctx.services();
    const account = accounts.resolveAccount(requireString(args, 'account'));
    const payee = optionalString(args, 'payee');
    const category = optionalString(args, 'category');
    const notes = optionalString(args, 'notes');
    const tx = transactions.create({
      accountId: account.id,
      date: requireString(args, 'date'),
      amountMinor: amountArg(requireString(args, 'amount'), account.currency),
      payeeName: payee,
      categoryId: category,
      notes,
    });
    return {
      data: tx,
      text: `Recorded ${showMoney(tx.amountMinor, tx.currency)} on ${tx.date} in "${account.name}", id ${tx.id}`,
    };
  },
};

export const txListCommand: Command = {
  path: ['tx', 'list'],
  summary: 'List transactions, newest first.',
  usage: 'tx list [--account NAME] [--month YYYY-MM] [--category NAME] [--limit N] [--offset N]',
  options: {
    account: { type: 'string' },
    month: { type: 'string' },
    category: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { transactions, categories } = await ctx.services();
    const account = optionalString(args, 'account');
    const month = optionalString(args, 'month');
    const category = optionalString(args, 'category');
    const limit = optionalInteger(args, 'limit');
    const offset = optionalInteger(args, 'offset');
    const rows = transactions.list({
      accountId: account,
      ...(month === undefined ? {} : { month: assertIsoMonth(month) }),
      categoryId: category,
      limit,
      offset,
    });
    const names = new Map(categories.list({ includeArchived: true }).map((c) => [c.id, c.name]));
    const categoryOf = (categoryId: string | null, split: boolean): string =>
      split ? '(split)' : categoryId === null ? '' : (names.get(categoryId) ?? '');
    return {
      data: { transactions: rows },
      text: formatTable(
        ['DATE', 'PAYEE', 'CATEGORY', 'AMOUNT', 'ID'],
        rows.map((t) => [
          t.date,
          t.payeeName ?? '',
          categoryOf(t.categoryId, t.splits.length > 0),
          showMoney(t.amountMinor, t.currency),
          t.id,
        ]),
      ),
    };
  },
};

export const budgetSetCommand: Command = {
  path: ['budget', 'set'],
  summary: "Set a category's budget for a month.",
  usage: 'budget set --month YYYY-MM --category NAME --amount 400 --currency CODE',
  options: {
    month: { type: 'string' },
    category: { type: 'string' },
    amount: { type: 'string' },
    currency: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { budgets } = await ctx.services();
    const currency = currencyArg(requireString(args, 'currency'));
    const budget = budgets.set({
      month: requireString(args, 'month'),
      categoryId: requireString(args, 'category'),
      amountMinor: amountArg(requireString(args, 'amount'), currency),
      currency,
    });
    return {
      data: budget,
      text: `Budgeted ${showMoney(budget.amountMinor, budget.currency)} for ${budget.month}`,
    };
  },
};

export const budgetReportCommand: Command = {
  path: ['budget', 'report'],
  summary: 'Budget against actual spending for a month.',
  usage: 'budget report --month YYYY-MM',
  options: { month: { type: 'string' } },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const { budgets } = await ctx.services();
    const report = budgets.report(requireString(args, 'month'));
    const rows = report.rows.map((r) => [
      r.categoryName,
      r.kind,
      showMoney(r.budgetedMinor, r.currency),
      showMoney(r.actualMinor, r.currency),
      showMoney(r.remainingMinor, r.currency),
    ]);
    return {
      data: report,
      text: `${report.month}\n${formatTable(['CATEGORY', 'KIND', 'BUDGETED', 'ACTUAL', 'REMAINING'], rows)}`,
    };
  },
};

export const LEDGER_COMMANDS: Command[] = [
  accountAddCommand,
  accountListCommand,
  categoryAddCommand,
  categoryListCommand,
  txAddCommand,
  txListCommand,
  budgetSetCommand,
  budgetReportCommand,
];
