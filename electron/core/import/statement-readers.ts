import { readCsvFile } from './csv-statement-reader.js';
import { readOfxStatements } from './ofx-statement-reader.js';
import type { StatementReaders } from './statement-reader.js';
import {
  readCamtStatements,
  readMt940Statements,
  readQifStatements,
} from './text-statement-readers.js';

/** One reader per format; a format missing here is refused with IMPORT_FORMAT_UNSUPPORTED. */
export const STATEMENT_READERS: StatementReaders = {
  csv: readCsvFile,
  ofx: readOfxStatements,
  qif: readQifStatements,
  camt053: readCamtStatements,
  mt940: readMt940Statements,
};
