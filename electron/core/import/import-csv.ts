import { z } from 'zod';
import { AccountKindSchema } from '../../../shared/domain/ledger.schema.js';
import { parseInput } from '../validation/parse-input.js';
import type { Vault } from '../vault/vault.js';
import { CSV_DELIMITERS } from './csv/csv-delimiter.js';
import { CsvMappingSchema } from './csv/csv-mapping.js';
import { CSV_ENCODINGS, CSV_SIGN_RULES, type CsvSettings } from './csv/csv-settings.js';
import { CsvDateFormatSchema } from './csv/date-format.js';
import { readCsvStatement } from './csv/read-csv-statement.js';
import { readImportFile } from './import-file.js';
import { resolveImportAccount, writeStatement, type ImportResult } from './import-statement.js';
import type { DetectedSetting, StatementRow, StatementSkip } from './statement.js';
import { bytesTextSource } from './text-source.js';

export const CsvImportOptionsSchema = z.strictObject({
  /** Path of the CSV file. */
  file: z.string().min(1),
  /** Account id or name. */
  account: z.string().trim().min(1),
  /** Which column holds what; omitted: guessed from the header row or the content. */
  mapping: CsvMappingSchema.optional(),
  /** Whether a header row names the columns. Omitted: detected. */
  header: z.boolean().optional(),
  /** Lines above the header (or first row) to pass over. Omitted: detected. */
  skipLines: z.number().int().min(0).max(1000).optional(),
  /** Omitted: detected. */
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  /** Omitted: detected from every date in the file. */
  dateFormat: CsvDateFormatSchema.optional(),
  /** Amounts written "1.234,56" (same as decimalSeparator ','). */
  decimalComma: z.boolean().optional(),
  /** Omitted: detected from every amount in the file. */
  decimalSeparator: z.enum(['.', ',']).optional(),
  /** 'negate' for a card statement writing purchases positive. Omitted: detected. */
  sign: z.enum(CSV_SIGN_RULES).optional(),
  /** Omitted: UTF-8 when the bytes are UTF-8, else windows-1252 (reported). */
  encoding: z.enum(CSV_ENCODINGS).optional(),
  /** Overrides the account's kind for sign detection (tests, previews). */
  accountKind: AccountKindSchema.optional(),
  /** Create categories the file names that the vault lacks, instead of failing. */
  createCategories: z.boolean().optional(),
});
export type CsvImportOptions = z.input<typeof CsvImportOptionsSchema>;

export interface CsvImportResult extends ImportResult {
  delimiter: string;
  /** The date format used (given or detected). */
  dateFormat: string | null;
  /** Which column each field was read from, e.g. { date: 'Posting Date', amount: 'Amount' }. */
  columns: Record<string, string>;
  /** Every reading of the file, and where it came from. */
  settings: readonly DetectedSetting[];
  /** Lines not imported, with the reason. */
  skippedLines: readonly StatementSkip[];
  warnings: readonly string[];
  /** Hash of the header (or headerless layout) a profile is saved under. */
  signature: string;
  resolved: CsvSettings;
}

/**
 * Imports a bank CSV statement into an account. The whole file is read and every row
 * checked before anything is written; then all new rows go in one transaction. Errors:
 * FILE_NOT_FOUND, FILE_TOO_LARGE (over 20 MiB, before reading), IMPORT_PARSE_ERROR
 * ("line N: …", details { line, column }), IMPORT_NEEDS_CHOICE (details { setting,
 * options, flag }), NOT_FOUND / DUPLICATE for the account, INVALID_STATE for an archived
 * account, INVALID_INPUT for bad options.
 */
export async function importCsv(vault: Vault, options: CsvImportOptions): Promise<CsvImportResult> {
  const opts = parseInput(CsvImportOptionsSchema, options, 'CSV import options');
  const account = resolveImportAccount(vault, opts.account);
  const { bytes, sha256 } = await readImportFile(opts.file);
  const flags: Partial<CsvSettings> = {};
  if (opts.mapping !== undefined) flags.mapping = opts.mapping;
  if (opts.header !== undefined) flags.header = opts.header;
  if (opts.skipLines !== undefined) flags.skipLines = opts.skipLines;
  if (opts.delimiter !== undefined) flags.delimiter = opts.delimiter;
  if (opts.dateFormat !== undefined) flags.dateFormat = opts.dateFormat;
  if (opts.decimalComma !== undefined) flags.decimalSeparator = opts.decimalComma ? ',' : '.';
  if (opts.decimalSeparator !== undefined) flags.decimalSeparator = opts.decimalSeparator;
  if (opts.sign !== undefined) flags.sign = opts.sign;
  const parsed = readCsvStatement(bytesTextSource(bytes, opts.file, opts.encoding), {
    accountCurrency: account.currency,
    accountKind: opts.accountKind ?? account.kind,
    flags,
  });
  const rows: StatementRow[] = [];
  const skippedLines: StatementSkip[] = [];
  for (const statement of parsed.statements) {
    for (const item of statement.items()) {
      if (item.kind === 'row') rows.push(item.row);
      else skippedLines.push(item.skip);
    }
  }
  const result = writeStatement(vault, account, rows, {
    format: 'csv',
    fileSha256: sha256,
    createCategories: opts.createCategories ?? false,
  });
  const header = parsed.resolved.header;
  return {
    ...result,
    delimiter: parsed.resolved.delimiter,
    dateFormat: parsed.resolved.dateFormat,
    columns: Object.fromEntries(
      Object.entries(parsed.resolved.mapping).map(([field, ref]) => [
        field,
        header ? String(ref) : `column ${String(ref)}`,
      ]),
    ),
    settings: parsed.settings,
    skippedLines,
    warnings: parsed.warnings,
    signature: parsed.signature,
    resolved: parsed.resolved,
  };
}
