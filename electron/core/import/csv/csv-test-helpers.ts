/** Test-only helpers for the CSV reader tests. */
import type { StatementItem, StatementRow, StatementSkip } from '../statement.js';
import { textSource, type TextSource } from '../text-source.js';
import {
  readCsvStatement,
  type CsvReadOptions,
  type CsvStatementFile,
} from './read-csv-statement.js';

export interface ReadAll {
  file: CsvStatementFile;
  rows: StatementRow[];
  skips: StatementSkip[];
  items: StatementItem[];
}

export function readAll(
  input: string | TextSource,
  options: Partial<CsvReadOptions> = {},
): ReadAll {
  const source = typeof input === 'string' ? textSource(input) : input;
  const file = readCsvStatement(source, {
    accountCurrency: 'USD',
    accountKind: 'checking',
    ...options,
  });
  const items = [...(file.statements[0]?.items() ?? [])];
  return {
    file,
    items,
    rows: items.flatMap((i) => (i.kind === 'row' ? [i.row] : [])),
    skips: items.flatMap((i) => (i.kind === 'skip' ? [i.skip] : [])),
  };
}

/** The stored values of a row, compactly: [date, amountMinor, payee, memo]. */
export const brief = (row: StatementRow): [string, number, string | null, string | null] => [
  row.date,
  row.amountMinor,
  row.payee,
  row.memo,
];

export function thrown(fn: () => unknown): {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
} {
  try {
    fn();
  } catch (err) {
    return err as { code?: string; message?: string; details?: Record<string, unknown> };
  }
  throw new Error('expected an error');
}
