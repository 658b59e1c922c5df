import type { DepositInput } from '../../shared/domain/invoicing.schema.js';
import { parsePercentPpm } from '../../shared/invoice/parse-line-values.js';
import { optionalString, type ParsedArgs } from './args.js';
import { amountArg } from './amounts.js';
import { UsageError } from './usage-error.js';

export const DEPOSIT_USAGE = '[--deposit AMOUNT|PERCENT% [--deposit-due YYYY-MM-DD]]';

export const DEPOSIT_OPTIONS = {
  deposit: { type: 'string' },
  'deposit-due': { type: 'string' },
} as const;

/**
 * `--deposit 250` asks for 250.00 of the document's currency first; `--deposit 30%` for
 * 30 % of the total (rounded half up to a minor unit); `--deposit-due` is when it is due.
 */
export function depositArg(args: ParsedArgs, currency: string): DepositInput | null {
  const text = optionalString(args, 'deposit');
  const dueDate = optionalString(args, 'deposit-due') ?? null;
  if (text === undefined) {
    if (dueDate !== null) throw new UsageError('--deposit-due needs --deposit');
    return null;
  }
  return text.trim().endsWith('%')
    ? { percentPpm: parsePercentPpm(text), dueDate }
    : { amountMinor: amountArg(text, currency), dueDate };
}
