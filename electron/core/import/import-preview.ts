import type { Vault } from '../vault/vault.js';
import { CategoryService } from '../ledger/category.service.js';
import { TransactionService } from '../ledger/transaction.service.js';
import type { ImportPreview, PreviewRow } from '../../../shared/domain/import-result.js';
import {
  importStatementFile,
  type ImportRunOptions,
  type ImportStatementFileOptions,
} from './import-statement-file.js';
import { MAX_LISTED } from './import-summary.js';
import type { WrittenRow } from './statement-writer.js';

export type { ImportPreview, PreviewRow } from '../../../shared/domain/import-result.js';

/** Rows a preview shows as they would be stored. */
export const PREVIEW_ROWS = 20;

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
