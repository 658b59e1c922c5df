import type { Vault } from '../vault/vault.js';
import { CategoryService } from '../ledger/category.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import {
  importStatementFile,
  type ImportRunOptions,
  type ImportStatementFileOptions,
  type ImportStatementFileResult,
} from './import-statement-file.js';
import { MAX_LISTED } from './import-summary.js';
import type { WrittenRow } from './statement-writer.js';

/** Rows a preview shows as they would be stored. */
export const PREVIEW_ROWS = 20;

/** One row exactly as the import would store it (read back from the rolled-back write). */
export interface PreviewRow {
  line: number;
  /** new: would be added; already_imported: the account holds it; flagged: added and flagged. */
  outcome: 'new' | 'already_imported' | 'flagged';
  date: string;
  amountMinor: number;
  currency: string;
  /** After payee rules. */
  payee: string | null;
  /** Category name (after rules); null: uncategorised. */
  category: string | null;
  notes: string;
  importId: string | null;
  importKey: string | null;
  splits: { category: string; amountMinor: number; memo: string }[];
  review: { relatedTransactionId: string; detail: string } | null;
}

export interface ImportPreview extends ImportStatementFileResult {
  firstRows: PreviewRow[];
  /** Rows the account already holds, the first ones listed (the count is `skippedAsImported`). */
  alreadyImported: { line: number; date: string; amountMinor: number; payee: string | null }[];
}

/**
 * What importing the file would do, from the same code path as the import itself: the
 * writer runs in a vault transaction that is then rolled back, so a preview and the import
 * that follows it cannot disagree. The app's import screen calls this too.
 */
export async function previewStatementFile(
  vault: Vault,
  options: Omit<ImportStatementFileOptions, 'dryRun'>,
  run: Omit<ImportRunOptions, 'onRow'> = {},
): Promise<ImportPreview> {
  const rows: PreviewRow[] = [];
  const alreadyImported: ImportPreview['alreadyImported'] = [];
  const transactions = new TransactionService(vault);
  const categories = new CategoryService(vault);
  const categoryName = (id: string | null): string | null =>
    id === null ? null : categories.get(id).name;

  const onRow = (written: WrittenRow): void => {
    const { input } = written;
    if (written.transactionId === null && alreadyImported.length < MAX_LISTED) {
      alreadyImported.push({
        line: written.line,
        date: input.date,
        amountMinor: input.amountMinor,
        payee: input.payeeName ?? null,
      });
    }
    if (rows.length >= PREVIEW_ROWS) return;
    if (written.transactionId === null) {
      rows.push({
        line: written.line,
        outcome: 'already_imported',
        date: input.date,
        amountMinor: input.amountMinor,
        currency: input.currency ?? '', // the writer always sets it
        payee: input.payeeName ?? null,
        category: categoryName(input.categoryId ?? null),
        notes: input.notes ?? '',
        importId: input.importId ?? null,
        importKey: input.importKey ?? null,
        splits: (input.splits ?? []).map((s) => ({
          category: categoryName(s.categoryId) ?? '',
          amountMinor: s.amountMinor,
          memo: s.memo ?? '',
        })),
        review: null,
      });
      return;
    }
    const stored = transactions.get(written.transactionId);
    rows.push({
      line: written.line,
      outcome: written.flaggedAs === null ? 'new' : 'flagged',
      date: stored.date,
      amountMinor: stored.amountMinor,
      currency: stored.currency,
      payee: stored.payeeName,
      category: categoryName(stored.categoryId),
      notes: stored.notes,
      importId: stored.importId,
      importKey: stored.importKey,
      splits: stored.splits.map((s) => ({
        category: categoryName(s.categoryId) ?? '',
        amountMinor: s.amountMinor,
        memo: s.memo,
      })),
      review: written.flaggedAs,
    });
  };
  const result = await importStatementFile(vault, { ...options, dryRun: true }, { ...run, onRow });
  return { ...result, firstRows: rows, alreadyImported };
}
