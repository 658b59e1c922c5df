import { z } from 'zod';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { CSV_DELIMITERS } from './csv/csv-delimiter.js';
import { CsvMappingSchema } from './csv/csv-mapping.js';
import { CsvDateFormatSchema } from './csv/date-format.js';
import { parseCsvStatement } from './csv/parse-csv-statement.js';
import { readImportFile } from './import-file.js';
import { resolveImportAccount, writeStatement, type ImportResult } from './import-statement.js';
import { decodeText } from './text-decoding.js';

export const CsvImportOptionsSchema = z.strictObject({
  /** Path of the CSV file. */
  file: z.string().min(1),
  /** Account id or name. */
  account: z.string().trim().min(1),
  /** Which column holds what; omitted: guessed from the header row. */
  mapping: CsvMappingSchema.optional(),
  /** Whether the first row holds column names. Default true. */
  header: z.boolean().optional(),
  /** Omitted: detected. */
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  /** Omitted: detected when only one format fits every date in the file. */
  dateFormat: CsvDateFormatSchema.optional(),
  /** Amounts written "1.234,56". */
  decimalComma: z.boolean().optional(),
  /** Default UTF-8 (a byte-order mark is dropped). */
  encoding: z.enum(['utf-8', 'windows-1252', 'iso-8859-1']).optional(),
  /** Create categories the file names that the vault lacks, instead of failing. */
  createCategories: z.boolean().optional(),
});
export type CsvImportOptions = z.input<typeof CsvImportOptionsSchema>;

export interface CsvImportResult extends ImportResult {
  delimiter: string;
  /** The date format used (given or detected); null for a file without rows. */
  dateFormat: string | null;
  /** Which column each field was read from, e.g. { date: 'Posting Date', amount: 'Amount' }. */
  columns: Record<string, string>;
}

/**
 * Imports a bank CSV statement into an account. The whole file is read and every row
 * checked before anything is written; then all new rows go in one transaction. Errors:
 * FILE_NOT_FOUND, FILE_TOO_LARGE (over 20 MiB, before reading), IMPORT_PARSE_ERROR
 * ("line N: …", details { line, column }), NOT_FOUND / DUPLICATE for the account,
 * INVALID_STATE for an archived account, INVALID_INPUT for bad options.
 */
export async function importCsv(vault: Vault, options: CsvImportOptions): Promise<CsvImportResult> {
  const opts = parseInput(CsvImportOptionsSchema, options, 'CSV import options');
  const account = resolveImportAccount(vault, opts.account);
  const { bytes, sha256 } = await readImportFile(opts.file);
  const parsed = parseCsvStatement(decodeText(bytes, opts.encoding), {
    currency: account.currency,
    ...(opts.mapping === undefined ? {} : { mapping: opts.mapping }),
    ...(opts.header === undefined ? {} : { header: opts.header }),
    ...(opts.delimiter === undefined ? {} : { delimiter: opts.delimiter }),
    ...(opts.dateFormat === undefined ? {} : { dateFormat: opts.dateFormat }),
    ...(opts.decimalComma === undefined ? {} : { decimalComma: opts.decimalComma }),
  });
  const result = writeStatement(vault, account, parsed.rows, {
    format: 'csv',
    fileSha256: sha256,
    createCategories: opts.createCategories ?? false,
  });
  return {
    ...result,
    delimiter: parsed.delimiter,
    dateFormat: parsed.dateFormat,
    columns: parsed.columns,
  };
}
