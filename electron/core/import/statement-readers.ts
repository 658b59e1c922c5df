import { readCsvStatement } from './csv-statement-reader.js';
import { readOfxStatement } from './ofx-statement-reader.js';
import type { StatementReaders } from './statement-reader.js';

/** One reader per format; a format missing here is refused with IMPORT_FORMAT_UNSUPPORTED. */
export const STATEMENT_READERS: StatementReaders = {
  csv: readCsvStatement,
  ofx: readOfxStatement,
};
