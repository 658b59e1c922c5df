export { exportVault, writeExport } from './export-vault.js';
export { importExport, readExportFile, MAX_EXPORT_FILE_BYTES } from './import-export.js';
export {
  exportTransactionsCsv,
  TransactionsCsvFilterSchema,
  TRANSACTIONS_CSV_COLUMNS,
  type TransactionsCsvFilter,
} from './transactions-csv.js';
export {
  ExportDocumentSchema,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  type ExportDocument,
} from './export-document.js';
export { EXPORTED_TABLES, NOT_EXPORTED_TABLES } from './export-tables.js';
