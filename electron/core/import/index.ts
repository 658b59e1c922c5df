export { MAX_IMPORT_FILE_BYTES } from './import-file.js';
export {
  CSV_DATE_FORMATS,
  CSV_DATE_FORMAT_HELP,
  CSV_TWO_DIGIT_YEARS,
  type CsvDateFormat,
} from './csv/date-format.js';
export {
  readCsvStatement,
  type CsvReadOptions,
  type CsvStatementFile,
} from './csv/read-csv-statement.js';
export {
  CsvSettingsSchema,
  CsvPartialSettingsSchema,
  CSV_ENCODINGS,
  CSV_FEE_RULES,
  CSV_SIGN_RULES,
  type CsvSettings,
} from './csv/csv-settings.js';
export { textSource, fileTextSource, bytesTextSource, type TextSource } from './text-source.js';
export { CSV_DELIMITERS, type CsvDelimiter } from './csv/csv-delimiter.js';
export {
  CsvMappingSchema,
  CSV_FIELDS,
  parseCsvMappingSpec,
  type CsvMapping,
  type CsvColumnRef,
} from './csv/csv-mapping.js';
export {
  importStatementFile,
  ImportStatementFileOptionsSchema,
  type ImportStatementFileOptions,
  type ImportStatementFileResult,
  type ImportRunOptions,
} from './import-statement-file.js';
export {
  previewStatementFile,
  PREVIEW_ROWS,
  type ImportPreview,
  type PreviewRow,
} from './import-preview.js';
export type {
  ImportSummary,
  FlaggedRow,
  RuleUse,
  StatementImportSummary,
} from './import-summary.js';
export type {
  StatementReader,
  StatementReaders,
  StatementReaderContext,
  ReadStatementFile,
} from './statement-reader.js';
export { STATEMENT_READERS } from './statement-readers.js';
export { CsvReaderOptionsSchema } from './csv-statement-reader.js';
export { TransactionReviewService } from './transaction-review.service.js';
export { ImportProfileService } from './import-profile.service.js';
export { AccountBankIdService } from './account-bank-id.service.js';
export {
  writeStatements,
  type StatementTarget,
  type WriteStatementsOptions,
  type WrittenRow,
} from './statement-writer.js';
