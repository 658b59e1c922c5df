import * as z from 'zod';
import { monthBounds, IsoDateSchema, IsoMonthSchema } from '../../../shared/dates/iso-date.js';
import { minorToDecimalString } from '../../../shared/money/format-money.js';
import { AccountService } from '../ledger/account.service.js';
import { CategoryService } from '../ledger/category.service.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { writeFileAtomic } from './atomic-file.js';
import { collectText } from './collect-text.js';
import { TransactionsCsvRepository, type CsvQuery } from './transactions-csv.repository.js';

export const TransactionsCsvFilterSchema = z.strictObject({
  /** Account id or name. */
  account: z.string().trim().min(1).optional(),
  /** Category id or name; matches the category and split categories. */
  category: z.string().trim().min(1).optional(),
  month: IsoMonthSchema.optional(),
  /** Inclusive date bounds, combinable with month. */
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
});
export type TransactionsCsvFilter = z.input<typeof TransactionsCsvFilterSchema>;

export const TRANSACTIONS_CSV_COLUMNS = [
  'date',
  'account',
  'payee',
  'category',
  'amount',
  'currency',
  'notes',
  'id',
] as const;

/**
 * Writes live transactions, oldest first, as RFC 4180 CSV (UTF-8, CRLF) atomically with
 * mode 0600. `amount` is an exact decimal string in the currency's units ("-1234.56");
 * a split transaction lists its split categories joined by "; ". Text cells that a
 * spreadsheet would run as a formula (starting with = + - @ tab or CR) are prefixed with
 * "'". The file can be imported back with `importStatementFile` (the header names match the CSV reader's
 * guesses).
 * Returns the number of transactions written.
 */
export function exportTransactionsCsv(
  vault: Vault,
  file: string,
  filters: TransactionsCsvFilter = {},
): { rows: number } {
  let rows = 0;
  writeFileAtomic(file, (put) => {
    rows = putTransactionsCsv(vault, filters, put);
  });
  return { rows };
}

/**
 * The same CSV as `exportTransactionsCsv`, held in memory and never written to disk: what
 * the app hands its window to save. Refused with FILE_TOO_LARGE past `maxBytes`.
 */
export function transactionsCsvText(
  vault: Vault,
  filters: TransactionsCsvFilter,
  maxBytes: number,
): { text: string; rows: number } {
  let rows = 0;
  const text = collectText(
    (put) => {
      rows = putTransactionsCsv(vault, filters, put);
    },
    maxBytes,
    'The transaction export',
  );
  return { text, rows };
}

function putTransactionsCsv(
  vault: Vault,
  filters: TransactionsCsvFilter,
  put: (chunk: string) => void,
): number {
  const data = parseInput(TransactionsCsvFilterSchema, filters, 'transaction export filter');
  const query: CsvQuery = {};
  if (data.account !== undefined)
    query.accountId = new AccountService(vault).resolveAccount(data.account).id;
  if (data.category !== undefined)
    query.categoryId = new CategoryService(vault).resolveCategory(data.category).id;
  let { from, to } = data;
  if (data.month !== undefined) {
    const bounds = monthBounds(data.month);
    from = from === undefined || from < bounds.first ? bounds.first : from;
    to = to === undefined || to > bounds.last ? bounds.last : to;
  }
  if (from !== undefined) query.from = from;
  if (to !== undefined) query.to = to;

  let rows = 0;
  const repo = new TransactionsCsvRepository(vault.db);
  vault.db
    .transaction(() => {
      put(`${TRANSACTIONS_CSV_COLUMNS.join(',')}\r\n`);
      for (const t of repo.iterate(query)) {
        const cells = [
          t.date,
          text(t.account),
          text(t.payee ?? ''),
          text(t.category ?? t.split_categories ?? ''),
          minorToDecimalString(t.amount_minor, t.currency),
          t.currency,
          text(t.notes),
          t.id,
        ];
        put(`${cells.map(csvCell).join(',')}\r\n`);
        rows += 1;
      }
    })
    .deferred();
  return rows;
}

function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}
