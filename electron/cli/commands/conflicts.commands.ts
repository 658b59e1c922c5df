import { requireString } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { ConflictService, type ConflictChoice } from '../../core/sync/apply/conflict.service.js';
import { UsageError } from '../usage-error.js';

const show = (value: unknown): string => JSON.stringify(value);

export const conflictsListCommand: Command = {
  path: ['conflicts', 'list'],
  summary:
    'List money fields two devices edited at once ("needs review"): the value the record shows and the other one kept.',
  usage: 'conflicts list [--json]',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const conflicts = new ConflictService(await ctx.vault()).list();
    const text =
      conflicts.length === 0
        ? 'Nothing needs review.'
        : conflicts
            .map(
              (c) =>
                `${c.id}  ${c.collection} ${c.recordId}${c.recordDeleted ? ' (deleted)' : ''}  ${c.field}: ` +
                `mine ${show(c.mine.value)} (device ${c.mine.deviceId}), ` +
                `theirs ${show(c.theirs.value)} (device ${c.theirs.deviceId})`,
            )
            .join('\n');
    return { data: { conflicts }, text };
  },
};

export const conflictsResolveCommand: Command = {
  path: ['conflicts', 'resolve'],
  summary:
    'Settle a conflict: keep the value the record shows (mine), the other kept value (theirs), or a new value (JSON, e.g. -1500 for an amount in minor units); it syncs to every device.',
  usage: 'conflicts resolve ID --keep mine|theirs|VALUE',
  options: { keep: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const conflictId = args.positionals[0] as string;
    const keep = requireString(args, 'keep');
    const choice = keepArg(keep);
    const conflict = new ConflictService(await ctx.vault()).resolve(conflictId, choice);
    const kept =
      choice === 'mine'
        ? conflict.mine.value
        : choice === 'theirs'
          ? conflict.theirs.value
          : choice.value;
    return {
      data: { conflict, kept },
      text: `Kept ${show(kept)} for ${conflict.field} of ${conflict.collection} ${conflict.recordId}.`,
    };
  },
};

function keepArg(keep: string): ConflictChoice {
  if (keep === 'mine' || keep === 'theirs') return keep;
  if (keep.trim() === '') throw new UsageError('--keep needs mine, theirs or a value');
  try {
    return { value: JSON.parse(keep) as unknown };
  } catch {
    // Not JSON: a bare word (a date, a currency code) is taken as text.
    return { value: keep };
  }
}

export const CONFLICTS_COMMANDS: Command[] = [conflictsListCommand, conflictsResolveCommand];
