import { flag } from '../args.js';
import { NO_POSITIONALS, type Command } from '../command.js';
import { UsageError } from '../usage-error.js';

export const reviewListCommand: Command = {
  path: ['review', 'list'],
  summary: 'List imported transactions flagged for review (possible duplicates), oldest first.',
  usage: 'review list',
  options: {},
  positionals: NO_POSITIONALS,
  async run(ctx) {
    const { transactionReviews, transactions } = await ctx.services();
    const reviews = transactionReviews.listOpen().map((r) => {
      const t = transactions.get(r.transactionId);
      return {
        ...r,
        transaction: {
          date: t.date,
          amountMinor: t.amountMinor,
          currency: t.currency,
          payee: t.payeeName,
        },
      };
    });
    const text =
      reviews.length === 0
        ? 'Nothing to review.'
        : reviews
            .map(
              (r) =>
                `${r.id}  ${r.transaction.date}  ${r.transaction.payee ?? '(no payee)'}: ${r.detail}`,
            )
            .join('\n');
    return { data: { reviews }, text };
  },
};

export const reviewResolveCommand: Command = {
  path: ['review', 'resolve'],
  summary: 'Keep a flagged transaction, or delete it (it stays known, so a re-import skips it).',
  usage: 'review resolve ID --keep|--delete',
  options: { keep: { type: 'boolean' }, delete: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(ctx, args) {
    const keep = flag(args, 'keep');
    const remove = flag(args, 'delete');
    if (keep === remove) throw new UsageError('give exactly one of --keep or --delete');
    const review = (await ctx.services()).transactionReviews.resolve(
      args.positionals[0] as string,
      keep ? 'keep' : 'delete',
    );
    return {
      data: { review },
      text: keep ? 'Kept the transaction.' : 'Deleted the transaction.',
    };
  },
};

export const REVIEW_COMMANDS: Command[] = [reviewListCommand, reviewResolveCommand];
