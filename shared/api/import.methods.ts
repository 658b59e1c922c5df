/**
 * Bank statement imports from a file the window picked: a preview from the same code the
 * CLI's `--dry-run` runs (nothing written), then the import. The file travels in memory and
 * is never written to disk by the core.
 */
import * as z from 'zod';
import { BankAccountIdSchema, StatementFormatSchema } from '../domain/import.schema.js';
import type { ImportPreview, ImportStatementFileResult } from '../domain/import-result.js';
import { RefSchema } from '../domain/ledger.schema.js';
import { CurrencyCodeSchema } from '../money/currency.js';
import { apiMethod } from './api-method.js';
import { base64FileSchema } from './file-payload.js';

/** The statement size limit, the same as the CLI's: statements are small. */
export const IMPORT_FILE_MAX_BYTES = 20 * 1024 * 1024;

export const StatementFileInputSchema = z.strictObject({
  /** The picked file's name, for messages only: never opened as a path. */
  fileName: z.string().trim().min(1).max(255),
  contentBase64: base64FileSchema(IMPORT_FILE_MAX_BYTES, 'The statement'),
  format: StatementFormatSchema,
  /** Account id or name; needed for CSV and QIF, and for a statement whose bank id is new. */
  account: RefSchema.optional(),
  /** The bank's id of the one statement to import, for a file of several. */
  statementAccount: BankAccountIdSchema.optional(),
  createCategories: z.boolean().optional(),
  onlyCurrency: CurrencyCodeSchema.optional(),
  /** The format's own settings (CSV mapping, date format, …), checked by its reader. */
  readerOptions: z.record(z.string(), z.unknown()).optional(),
});
export type StatementFileInput = z.input<typeof StatementFileInputSchema>;

export const IMPORT_METHODS = {
  /** What the import would do, rows exactly as they would be stored; writes nothing. */
  preview: apiMethod<ImportPreview>()(StatementFileInputSchema),
  /** Imports the file (all or nothing); emits `progress` events with task `import`. */
  run: apiMethod<ImportStatementFileResult>()(StatementFileInputSchema),
} as const;
