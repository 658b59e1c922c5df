export {
  importCsv,
  CsvImportOptionsSchema,
  type CsvImportOptions,
  type CsvImportResult,
} from './import-csv.js';
export {
  importOfx,
  OfxImportOptionsSchema,
  type OfxImportOptions,
  type OfxImportResult,
} from './import-ofx.js';
export type { ImportResult } from './import-statement.js';
export { MAX_IMPORT_FILE_BYTES } from './import-file.js';
export { CSV_DATE_FORMATS, type CsvDateFormat } from './csv/date-format.js';
export { CSV_DELIMITERS, type CsvDelimiter } from './csv/csv-delimiter.js';
export {
  CsvMappingSchema,
  parseCsvMappingSpec,
  type CsvMapping,
  type CsvColumnRef,
} from './csv/csv-mapping.js';
