import type { PayeeRuleMatchKind } from '../../../shared/domain/payee-rule.schema.js';
import { optionalInteger, optionalString, type ParsedArgs } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { formatTable } from '../output.js';
import { UsageError } from '../usage-error.js';

const MATCH_OPTIONS: readonly [string, PayeeRuleMatchKind][] = [
  ['contains', 'contains'],
  ['equals', 'equals'],
  ['starts-with', 'starts_with'],
  ['regex', 'regex'],
];

const KIND_SHOWN: Record<PayeeRuleMatchKind, string> = {
  contains: 'contains',
  equals: 'equals',
  starts_with: 'starts with',
  regex: 'regex',
};

/** Exactly one of --contains, --equals, --starts-with, --regex. */
function matchArg(args: ParsedArgs): { matchKind: PayeeRuleMatchKind; pattern: string } {
  const given = MATCH_OPTIONS.flatMap(([option, matchKind]) => {
    const pattern = optionalString(args, option);
    return pattern === undefined ? [] : [{ option, matchKind, pattern }];
  });
  const [first, second] = given;
  if (first === undefined) {
    throw new UsageError('give one of --contains, --equals, --starts-with or --regex');
  }
  if (second !== undefined) {
    throw new UsageError(`--${first.option} and --${second.option} cannot be combined`);
  }
  return { matchKind: first.matchKind, pattern: first.pattern };
}

export const ruleAddCommand: Command = {
  path: ['rule', 'add'],
  summary: 'Add a payee rule applied on import: rename the payee and/or set a category.',
  usage:
    'rule add --contains TEXT|--equals TEXT|--starts-with TEXT|--regex RE [--rename NAME] [--category NAME] [--position N]',
  options: {
    contains: { type: 'string' },
    equals: { type: 'string' },
    'starts-with': { type: 'string' },
    regex: { type: 'string' },
    rename: { type: 'string' },
    category: { type: 'string' },
    position: { type: 'string' },
  },
  positionals: NO_POSITIONALS,
  async run(ctx, args) {
    const match = matchArg(args);
    const renameTo = optionalString(args, 'rename');
    const category = optionalString(args, 'category');
    if (renameTo === undefined && category === undefined) {
      throw new UsageError('give --rename, --category or both: a rule must change something');
    }
    const position = optionalInteger(args, 'position');
    if (position === 0) throw new UsageError('--position counts from 1');
    const rules = (await ctx.services()).payeeRules;
    const rule = rules.add({ ...match, renameTo, category, position });
    const number = rules.list().findIndex((r) => r.id === rule.id) + 1;
    return { data: rule, text: `Added payee rule ${number}, id ${rule.id}` };
  },
};

export const ruleListCommand: Command = {
  path: ['rule', 'list'],
  summary: 'List payee rules in the order they apply.',
  usage: 'rule list',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const { payeeRules, categories } = await ctx.services();
    const names = new Map(categories.list({ includeArchived: true }).map((c) => [c.id, c.name]));
    const rules = payeeRules.list().map((rule, index) => ({
      number: index + 1,
      ...rule,
      categoryName: rule.categoryId === null ? null : (names.get(rule.categoryId) ?? '(deleted)'),
    }));
    return {
      data: { rules },
      text: formatTable(
        ['N', 'MATCH', 'PATTERN', 'RENAME', 'CATEGORY', 'ID'],
        rules.map((r) => [
          String(r.number),
          KIND_SHOWN[r.matchKind],
          r.pattern,
          r.renameTo ?? '',
          r.categoryName ?? '',
          r.id,
        ]),
      ),
    };
  },
};

export const ruleRemoveCommand: Command = {
  path: ['rule', 'remove'],
  summary: 'Remove a payee rule, named by its id or its number in `rule list`.',
  usage: 'rule remove ID|N',
  options: {},
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const rule = (await ctx.services()).payeeRules.remove(args.positionals[0] as string);
    return { data: { removed: rule }, text: `Removed payee rule ${rule.id}` };
  },
};

export const RULE_COMMANDS: Command[] = [ruleAddCommand, ruleListCommand, ruleRemoveCommand];
