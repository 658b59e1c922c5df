import type { Account, TransactionCreateInput } from '../../../shared/domain/ledger.schema.js';
import { CofferError, isCofferError } from '../../../shared/errors/coffer-error.js';
import { minorToDecimalString } from '../../../shared/money/format-money.js';
import { TransactionRepository } from '../ledger/transaction.repository.js';
import { TransactionService } from '../ledger/transaction.service.js';
import type { PayeeRuleMatcher } from '../rules/payee-rule-matcher.js';
import type { Vault } from '../vault/vault.js';
import { CategoryResolver } from './category-resolver.js';
import { DuplicateReviewer } from './duplicate-reviewer.js';
import { importBatchLabel } from './import-batch.js';
import { BANK_ID_PREFIX, OccurrenceCounter, bankImportId, importKeyFor } from './import-id.js';
import { MAX_LISTED, type ImportSummary, type StatementImportSummary } from './import-summary.js';
import { importParseError } from './parse-error.js';
import type { ParsedStatement, ParsedStatementFile, StatementRow } from './statement.js';
import { buildNotes, cleanPayee } from './statement-notes.js';

export interface StatementTarget {
  statement: ParsedStatement;
  account: Account;
}

/** One row as the writer handed it to the ledger, and what became of it. */
export interface WrittenRow {
  line: number;
  statementIndex: number;
  input: TransactionCreateInput;
  /** The created transaction; null when the account already held the row. */
  transactionId: string | null;
  flaggedAs: { relatedTransactionId: string; detail: string } | null;
}

export interface WriteStatementsOptions {
  file: Pick<ParsedStatementFile, 'format' | 'columns' | 'settings' | 'warnings'>;
  fileSha256: string;
  createCategories: boolean;
  /** Only rows in this currency are written; the others are skipped as 'other-currency'. */
  onlyCurrency?: string;
  matcher?: PayeeRuleMatcher | null;
  /** Rows per createManyInTransaction call: how many inputs are held at once. */
  chunkSize?: number;
  /** Sees every row once written; the preview keeps the first few. */
  onRow?: (row: WrittenRow) => void;
  /**
   * The caller rolls the transaction back once the steps end (a dry run): indexes the
   * ledger set aside are left to the rollback. Nothing may read transactions in between.
   */
  rollingBack?: boolean;
}

const DEFAULT_CHUNK = 1_000;

interface Pending {
  line: number;
  input: TransactionCreateInput;
}

/** What a writer has done so far, yielded after each chunk it writes. */
export interface WriteProgress {
  /** Rows read from the file (skipped lines not counted). */
  read: number;
  /** Rows handed to the ledger: created or found already imported. */
  written: number;
}

/**
 * Writes the statements of one file in ONE vault transaction: every row (less those the
 * account already holds) or, on any error, none, categories it created included. Rows
 * stream from the reader and go to the ledger in chunks, so memory does not grow with the
 * file.
 */
export function writeStatements(
  vault: Vault,
  targets: readonly StatementTarget[],
  options: WriteStatementsOptions,
): ImportSummary {
  return vault.transaction(() => {
    const steps = statementWriteSteps(vault, targets, options);
    for (;;) {
      const step = steps.next();
      if (step.done === true) return step.value;
    }
  });
}

/**
 * The writer as steps: each `next()` reads and writes one chunk and yields the progress so
 * far; the last returns the summary. The caller runs every step inside one open vault
 * transaction (`writeStatements`, or `vault.transactionInSteps` to report progress between
 * chunks).
 */
export function* statementWriteSteps(
  vault: Vault,
  targets: readonly StatementTarget[],
  options: WriteStatementsOptions,
): Generator<WriteProgress, ImportSummary, undefined> {
  const { format } = options.file;
  const importBatch = importBatchLabel(format, options.fileSha256);
  const summary: ImportSummary = {
    format,
    fileSha256: options.fileSha256,
    importBatch,
    rows: 0,
    created: 0,
    skippedAsImported: 0,
    flaggedForReview: 0,
    flagged: [],
    skippedLines: { total: 0, byReason: {}, lines: [] },
    columns: [...options.file.columns],
    settings: [...options.file.settings],
    warnings: [...options.file.warnings],
    categoriesCreated: [],
    categoriesLeft: [],
    rulesApplied: [],
    statements: [],
  };
  const progress: WriteProgress = { read: 0, written: 0 };
  // Each statement numbers its own equal rows, so its content keys are distinct; two
  // statements of the file into one account could repeat each other's.
  const accounts = new Set(targets.map((t) => t.account.id));
  const uniqueImportKeys = accounts.size === targets.length;
  const ledger = new TransactionRepository(vault.db);
  // Asked before any row goes in: a statement that fills a new account is written with the
  // ledger's list indexes set aside, and nothing here reads its rows by account or date.
  const newAccounts = uniqueImportKeys
    ? new Set([...accounts].filter((id) => !ledger.holdsAny(id)))
    : undefined;
  const write = new TransactionService(vault).chunkWriter({
    uniqueImportKeys,
    ...(newAccounts === undefined ? {} : { newAccounts }),
  });
  const categories = new CategoryResolver(vault, options.createCategories);
  const reviewer = new DuplicateReviewer(vault, importBatch);
  // Each account's dates as they were before the import, read now, while every index is there.
  for (const id of accounts) reviewer.prepare(id);
  const rules = new Map<string, { description: string; rows: number }>();
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;

  for (const [statementIndex, { statement, account }] of targets.entries()) {
    const stats: StatementImportSummary = {
      line: statement.line,
      bankAccountId: statement.bankAccountId,
      accountId: account.id,
      accountName: account.name,
      rows: 0,
      created: 0,
      skippedAsImported: 0,
      flaggedForReview: 0,
    };
    const occurrences = new OccurrenceCounter();
    let chunk: Pending[] = [];

    const flush = (): void => {
      if (chunk.length === 0) return;
      const pending = chunk;
      chunk = [];
      const result = atLine(pending, () =>
        write(
          pending.map((p) => p.input),
          { importBatch },
        ),
      );
      const skipped = new Set(result.skippedIndexes);
      let next = 0;
      pending.forEach((p, index) => {
        let transactionId: string | null = null;
        let flaggedAs: WrittenRow['flaggedAs'] = null;
        if (skipped.has(index)) {
          stats.skippedAsImported += 1;
        } else {
          transactionId = result.createdIds[next++] as string;
          stats.created += 1;
          flaggedAs = reviewer.review(account.id, transactionId, p.input);
          if (flaggedAs !== null) {
            stats.flaggedForReview += 1;
            if (summary.flagged.length < MAX_LISTED) {
              summary.flagged.push({ line: p.line, transactionId, ...flaggedAs });
            }
          }
        }
        options.onRow?.({
          line: p.line,
          statementIndex,
          input: p.input,
          transactionId,
          flaggedAs,
        });
      });
      progress.written += pending.length;
    };

    for (const item of statement.items()) {
      if (item.kind === 'skip') {
        const skips = summary.skippedLines;
        skips.total += 1;
        skips.byReason[item.skip.reason] = (skips.byReason[item.skip.reason] ?? 0) + 1;
        if (skips.lines.length < MAX_LISTED) skips.lines.push(item.skip);
        continue;
      }
      const row = item.row;
      const currency = rowCurrency(row, statement, account);
      if (options.onlyCurrency !== undefined && currency !== options.onlyCurrency) {
        const skips = summary.skippedLines;
        skips.total += 1;
        skips.byReason['other-currency'] = (skips.byReason['other-currency'] ?? 0) + 1;
        if (skips.lines.length < MAX_LISTED) {
          skips.lines.push({ line: row.line, reason: 'other-currency', text: currency });
        }
        continue;
      }
      stats.rows += 1;
      progress.read += 1;
      assertCurrency(currency, row, statement, account);
      const input = toInput(row, account, format, occurrences, categories, options.matcher, rules);
      chunk.push({ line: row.line, input });
      if (chunk.length >= chunkSize) {
        flush();
        yield { ...progress };
      }
    }
    flush();
    summary.rows += stats.rows;
    summary.created += stats.created;
    summary.skippedAsImported += stats.skippedAsImported;
    summary.flaggedForReview += stats.flaggedForReview;
    summary.statements.push(stats);
  }
  write.finish({ rollingBack: options.rollingBack === true });
  summary.categoriesCreated = categories.created;
  summary.categoriesLeft = categories.left;
  summary.rulesApplied = [...rules].map(([ruleId, use]) => ({ ruleId, ...use }));
  return summary;
}

function toInput(
  row: StatementRow,
  account: Account,
  format: keyof typeof BANK_ID_PREFIX,
  occurrences: OccurrenceCounter,
  categories: CategoryResolver,
  matcher: PayeeRuleMatcher | null | undefined,
  rules: Map<string, { description: string; rows: number }>,
): TransactionCreateInput {
  const occurrence = occurrences.next(row.date, row.amountMinor, row.descriptionKey);
  const added: string[] = [];
  let payee = row.payee;
  let categoryId: string | null = null;
  const rule = matcher?.match({ payee: row.payee, memo: row.memo }) ?? null;
  if (rule !== null) {
    const use = rules.get(rule.ruleId) ?? { description: rule.description, rows: 0 };
    use.rows += 1;
    rules.set(rule.ruleId, use);
    if (rule.renameTo !== null) payee = rule.renameTo;
  }
  if (rule?.categoryId != null) {
    categoryId = rule.categoryId;
  } else if (row.category !== null && row.category.trim() !== '') {
    categoryId = categories.resolve(row.category, row.amountMinor);
    if (categoryId === null) added.push(`Category: ${row.category.trim()}`);
  }

  let splits: { categoryId: string; amountMinor: number; memo: string }[] = [];
  if (row.splits.length > 0) {
    const resolved = row.splits.map((s) => ({
      categoryId: s.category === null ? null : categories.resolve(s.category, s.amountMinor),
      amountMinor: s.amountMinor,
      memo: s.memo.slice(0, 1_000),
    }));
    if (resolved.every((s) => s.categoryId !== null)) {
      splits = resolved as typeof splits;
      categoryId = null;
    } else {
      // A split without a category the ledger knows cannot be stored as a split: its
      // parts go to the notes instead, so none is lost.
      for (const s of row.splits) {
        added.push(
          `Split: ${s.category ?? '(no category)'} ${minorToDecimalString(s.amountMinor, account.currency)}${s.memo === '' ? '' : ` ${s.memo}`}`,
        );
      }
    }
  }

  const input: TransactionCreateInput = {
    accountId: account.id,
    date: row.date,
    amountMinor: row.amountMinor,
    currency: account.currency,
    notes: buildNotes(row.memo, row.extras, added),
    importId: row.externalId === null ? null : bankImportId(BANK_ID_PREFIX[format], row.externalId),
    importKey: importKeyFor(account.id, row.date, row.amountMinor, row.descriptionKey, occurrence),
    categoryId,
    splits,
  };
  const name = cleanPayee(payee);
  if (name !== null) input.payeeName = name;
  return input;
}

function rowCurrency(row: StatementRow, statement: ParsedStatement, account: Account): string {
  return (row.currency ?? statement.currency ?? account.currency).toUpperCase();
}

function assertCurrency(
  currency: string,
  row: StatementRow,
  statement: ParsedStatement,
  account: Account,
): void {
  if (currency === account.currency) return;
  const [line, what] =
    row.currency === null ? [statement.line, 'the statement'] : [row.line, 'the row'];
  throw new CofferError(
    'CURRENCY_MISMATCH',
    `line ${line}: ${what} is in ${currency} but account "${account.name}" is in ${account.currency}${
      what === 'the row'
        ? `; a file in several currencies imports one currency per account: --only-currency ${account.currency} here, and the ${currency} rows into a ${currency} account with --only-currency ${currency}`
        : ''
    }`,
    { line, currency, accountCurrency: account.currency },
  );
}

/** A ledger error about row `details.index` of a chunk is re-reported at that row's line. */
function atLine<T>(pending: readonly Pending[], work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (!isCofferError(err)) throw err;
    const index = err.details?.index;
    const line = typeof index === 'number' ? pending[index]?.line : undefined;
    if (line === undefined) throw err;
    const message = err.message.replace(/^Transaction #\d+: /, '');
    if (err.code === 'CURRENCY_MISMATCH' || err.code === 'INVALID_STATE') {
      throw new CofferError(err.code, `line ${line}: ${message}`, { ...err.details, line });
    }
    throw importParseError(line, message, { cause: err.code });
  }
}
