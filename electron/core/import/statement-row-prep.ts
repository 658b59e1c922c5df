import { CofferError } from '../../../shared/errors/coffer-error.js';
import type { PayeeRuleMatcher } from '../rules/payee-rule-matcher.js';
import { BANK_ID_PREFIX, OccurrenceCounter, bankImportId, importKeyFor } from './import-id.js';
import type { StatementItem, StatementRow, StatementSkip, StatementSplit } from './statement.js';
import { cleanPayee, notesLines } from './statement-notes.js';

/**
 * What an import knows of one statement's target before any row is read: enough to turn
 * each row into everything its ledger input needs but the categories, which only the vault
 * can resolve. Pure: it reads nothing from the vault.
 */
export interface RowPrepContext {
  accountId: string;
  accountName: string;
  accountCurrency: string;
  /** The statement's own currency and first line, for the currency check's message. */
  statementCurrency: string | null;
  statementLine: number;
  format: keyof typeof BANK_ID_PREFIX;
  /** Only rows in this currency are kept; the others are skipped as 'other-currency'. */
  onlyCurrency?: string;
  matcher: PayeeRuleMatcher | null;
}

/** A row ready for the ledger but for its category, which the writer resolves. */
export interface PreparedRow {
  line: number;
  date: string;
  amountMinor: number;
  /** The memo and every unmapped field as notes lines, joined, not yet capped. */
  notes: string;
  importId: string | null;
  importKey: string;
  /** The cleaned payee name, after a rule's rename. */
  payee: string | null;
  /** The rule that applied, with its words for the summary. */
  ruleId: string | null;
  ruleDescription: string | null;
  /** The rule's category; when null, `category` (the file's name for it) is resolved. */
  ruleCategoryId: string | null;
  category: string | null;
  splits: readonly StatementSplit[];
}

export type PreparedItem =
  { kind: 'row'; row: PreparedRow } | { kind: 'skip'; skip: StatementSkip };

/**
 * A statement's items as the writer takes them: rows in another currency skipped (with
 * `onlyCurrency`) or refused, each kept row numbered among its equals, keyed, matched
 * against the payee rules and given its notes.
 */
export function* prepareItems(
  items: Iterable<StatementItem>,
  context: RowPrepContext,
): Generator<PreparedItem, void, undefined> {
  const occurrences = new OccurrenceCounter();
  const prefix = BANK_ID_PREFIX[context.format];
  for (const item of items) {
    if (item.kind === 'skip') {
      yield item;
      continue;
    }
    const row = item.row;
    const currency = (
      row.currency ??
      context.statementCurrency ??
      context.accountCurrency
    ).toUpperCase();
    if (context.onlyCurrency !== undefined && currency !== context.onlyCurrency) {
      yield { kind: 'skip', skip: { line: row.line, reason: 'other-currency', text: currency } };
      continue;
    }
    assertCurrency(currency, row, context);
    yield { kind: 'row', row: prepareRow(row, context, occurrences, prefix) };
  }
}

function prepareRow(
  row: StatementRow,
  context: RowPrepContext,
  occurrences: OccurrenceCounter,
  prefix: string,
): PreparedRow {
  const occurrence = occurrences.next(row.date, row.amountMinor, row.descriptionKey);
  const rule = context.matcher?.match({ payee: row.payee, memo: row.memo }) ?? null;
  const payee = rule?.renameTo ?? row.payee;
  const ruleCategoryId = rule?.categoryId ?? null;
  return {
    line: row.line,
    date: row.date,
    amountMinor: row.amountMinor,
    notes: notesLines(row.memo, row.extras),
    importId: row.externalId === null ? null : bankImportId(prefix, row.externalId),
    importKey: importKeyFor(
      context.accountId,
      row.date,
      row.amountMinor,
      row.descriptionKey,
      occurrence,
    ),
    payee: cleanPayee(payee),
    ruleId: rule?.ruleId ?? null,
    ruleDescription: rule?.description ?? null,
    ruleCategoryId,
    category: ruleCategoryId === null ? row.category : null,
    splits: row.splits,
  };
}

function assertCurrency(currency: string, row: StatementRow, context: RowPrepContext): void {
  if (currency === context.accountCurrency) return;
  const [line, what] =
    row.currency === null ? [context.statementLine, 'the statement'] : [row.line, 'the row'];
  throw new CofferError(
    'CURRENCY_MISMATCH',
    `line ${line}: ${what} is in ${currency} but account "${context.accountName}" is in ${context.accountCurrency}${
      what === 'the row'
        ? `; a file in several currencies imports one currency per account: --only-currency ${context.accountCurrency} here, and the ${currency} rows into a ${currency} account with --only-currency ${currency}`
        : ''
    }`,
    { line, currency, accountCurrency: context.accountCurrency },
  );
}
