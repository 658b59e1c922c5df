import { CsvError, parse, type Options } from 'csv-parse/sync';
import { fieldError, importParseError } from '../parse-error.js';
import { descriptionKey } from '../description-key.js';
import type { StatementRow } from '../statement.js';
import { parseCsvAmount } from './csv-amount.js';
import { detectDelimiter, type CsvDelimiter } from './csv-delimiter.js';
import {
  resolveMapping,
  type CsvField,
  type CsvMapping,
  type ResolvedMapping,
} from './csv-mapping.js';
import {
  CSV_DATE_FORMATS,
  detectDateFormat,
  parseCsvDate,
  type CsvDateFormat,
} from './date-format.js';

export interface CsvParseOptions {
  /** Currency of the account the rows go into; amounts are read in its minor units. */
  currency: string;
  /** Omitted: guessed from the header names (requires a header row). */
  mapping?: CsvMapping;
  /** Whether the first row holds column names. Default true. */
  header?: boolean;
  /** Omitted: detected from the first lines. */
  delimiter?: CsvDelimiter;
  /** Omitted: detected when exactly one format fits every row. */
  dateFormat?: CsvDateFormat;
  /** Amounts written "1.234,56". Default false ("1,234.56" / "1234.56"). */
  decimalComma?: boolean;
}

export interface ParsedCsvStatement {
  rows: StatementRow[];
  delimiter: CsvDelimiter;
  dateFormat: CsvDateFormat | null;
  /** The header name (or "column N") each field was read from, given or guessed. */
  columns: Partial<Record<CsvField, string>>;
}

interface RawRecord {
  line: number;
  cells: string[];
}

/**
 * Reads a whole CSV statement into rows, or throws IMPORT_PARSE_ERROR naming the first
 * bad line. Pure: it never touches the vault, so the caller writes all rows or none.
 */
export function parseCsvStatement(text: string, options: CsvParseOptions): ParsedCsvStatement {
  const normalized = text.replace(/\r\n?/g, '\n');
  const delimiter = options.delimiter ?? detectDelimiter(normalized);
  const records = readRecords(normalized, delimiter);
  const hasHeader = options.header ?? true;
  const headerRecord = hasHeader ? records.shift() : undefined;
  const mapping = resolveMapping(
    options.mapping,
    headerRecord?.cells ?? null,
    headerRecord?.line ?? 1,
  );
  const columns = Object.fromEntries(Object.entries(mapping).map(([field, c]) => [field, c.name]));

  // Every row is checked before anything is reported, so the error names the first bad
  // line of the file whichever check catches it.
  const errors = new FirstError();
  const extracted = records.flatMap(
    (record) => errors.attempt(record.line, () => [extractCells(record, mapping)]) ?? [],
  );
  const dates = errors.attempt(extracted[0]?.line ?? 1, () =>
    chooseDateFormat(extracted, options.dateFormat, mapping),
  );
  if (dates === undefined) {
    errors.throwIfAny();
    return { rows: [], delimiter, dateFormat: null, columns };
  }

  const seenIds = new Map<string, number>();
  const rows = extracted.flatMap(
    (cells) =>
      errors.attempt(cells.line, () => [toRow(cells, dates, mapping, options, seenIds)]) ?? [],
  );
  errors.throwIfAny();
  return {
    rows,
    delimiter,
    dateFormat: rows.length === 0 && options.dateFormat === undefined ? null : dates.format,
    columns,
  };
}

function toRow(
  cells: Cells,
  dates: DateChoice,
  mapping: ResolvedMapping,
  options: CsvParseOptions,
  seenIds: Map<string, number>,
): StatementRow {
  const { line } = cells;
  if (cells.date === '')
    throw importParseError(line, 'the date is empty', columnOf(mapping, 'date'));
  const date = dates.parse(cells.date);
  if (date === null) {
    const expected = dates.fitsAll
      ? `the format ${dates.format}`
      : `any known format (${CSV_DATE_FORMATS.join(', ')})`;
    throw importParseError(
      line,
      `"${cells.date}" is not a date in ${expected}`,
      columnOf(mapping, 'date'),
    );
  }
  const amountMinor = readAmount(cells, mapping, options);
  const externalId = cells.id || null;
  if (externalId !== null) {
    const first = seenIds.get(externalId);
    if (first !== undefined) {
      throw importParseError(
        line,
        `id "${externalId}" already appears on line ${first}`,
        columnOf(mapping, 'id'),
      );
    }
    seenIds.set(externalId, line);
  }
  return {
    line,
    date,
    amountMinor,
    currency: null,
    payee: cells.payee || null,
    memo: cells.memo || null,
    category: cells.category || null,
    externalId,
    extras: [],
    descriptionKey: descriptionKey(cells.payee, cells.memo),
    splits: [],
  };
}

/** Keeps the import error with the lowest line number among those raised. */
class FirstError {
  private first: { line: number; error: unknown } | null = null;

  attempt<T>(line: number, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      const at = lineOf(error) ?? line;
      if (this.first === null || at < this.first.line) this.first = { line: at, error };
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.first !== null) throw this.first.error;
  }
}

function lineOf(error: unknown): number | undefined {
  const line = (error as { details?: { line?: unknown } } | null)?.details?.line;
  return typeof line === 'number' ? line : undefined;
}

interface ParsedRecord {
  cells: string[];
  /** Line the record ends on, and empty lines skipped so far (both from csv-parse). */
  endLine: number;
  emptyLines: number;
}

function readRecords(text: string, delimiter: CsvDelimiter): RawRecord[] {
  let parsed: ParsedRecord[];
  try {
    // on_record instead of `info: true`: the same counters at half the cost on big files.
    const options: Options = {
      delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      skip_empty_lines: true,
      on_record: ((cells: string[], context: { lines: number; empty_lines: number }) => ({
        cells,
        endLine: context.lines,
        emptyLines: context.empty_lines,
      })) as unknown as Options['on_record'],
    };
    parsed = parse(text, options) as unknown as ParsedRecord[];
  } catch (err) {
    if (err instanceof CsvError) {
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
        throw importParseError(
          unclosedQuoteLine(text, delimiter),
          'a quoted field starting on this line is never closed',
        );
      }
      const reported = (err as CsvError & { lines?: number }).lines ?? 1;
      throw importParseError(reported, `malformed CSV: ${describeCsvError(err)}`);
    }
    throw err;
  }
  // A record starts on the line after the previous one ended, past any skipped empty lines;
  // counting this way keeps line numbers right through quoted fields holding line breaks.
  const records: RawRecord[] = [];
  let previousEnd = 0;
  let previousEmpty = 0;
  for (const { cells, endLine, emptyLines } of parsed) {
    const line = previousEnd + 1 + (emptyLines - previousEmpty);
    previousEnd = endLine;
    previousEmpty = emptyLines;
    if (cells.every((c) => c.trim() === '')) continue;
    records.push({ line, cells });
  }
  return records;
}

/** The line where the quoted field left open at the end of the text begins. */
function unclosedQuoteLine(text: string, delimiter: string): number {
  let line = 1;
  let openedAt = 1;
  let inQuotes = false;
  let atFieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      } else if (ch === '\n') line++;
      continue;
    }
    if (ch === '"' && atFieldStart) {
      inQuotes = true;
      openedAt = line;
      continue;
    }
    if (ch === '\n') line++;
    atFieldStart = ch === delimiter || ch === '\n';
  }
  return openedAt;
}

function describeCsvError(err: CsvError): string {
  switch (err.code) {
    case 'INVALID_OPENING_QUOTE':
      return 'a quote appears inside an unquoted field';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quoted field has text after its closing quote';
    default:
      return err.code.toLowerCase().replace(/^csv_/, '').replace(/_/g, ' ');
  }
}

type Cells = Record<CsvField, string> & { line: number };

function extractCells(record: RawRecord, mapping: ResolvedMapping): Cells {
  const cells = { line: record.line } as Cells;
  for (const [field, column] of Object.entries(mapping) as [
    CsvField,
    { index: number; name: string },
  ][]) {
    const value = record.cells[column.index];
    if (value === undefined) {
      throw importParseError(
        record.line,
        `the row has ${record.cells.length} columns, so ${field} (column ${column.index + 1}, "${column.name}") is missing`,
        { column: column.index + 1, columnName: column.name },
      );
    }
    cells[field] = value.trim();
  }
  for (const field of [
    'date',
    'amount',
    'debit',
    'credit',
    'payee',
    'memo',
    'category',
    'id',
  ] as const) {
    cells[field] ??= '';
  }
  return cells;
}

interface DateChoice {
  format: CsvDateFormat;
  /** False when no format fits every row: the rows that break the likeliest one are errors. */
  fitsAll: boolean;
  /** parseCsvDate in `format`, remembered: a statement repeats a few hundred dates. */
  parse(text: string): string | null;
}

function dateChoice(format: CsvDateFormat, fitsAll: boolean): DateChoice {
  const seen = new Map<string, string | null>();
  return {
    format,
    fitsAll,
    parse(text) {
      let date = seen.get(text);
      if (date === undefined) {
        date = parseCsvDate(text, format);
        seen.set(text, date);
      }
      return date;
    },
  };
}

function chooseDateFormat(
  rows: readonly Cells[],
  explicit: CsvDateFormat | undefined,
  mapping: ResolvedMapping,
): DateChoice {
  if (explicit !== undefined) return dateChoice(explicit, true);
  const dated = rows.filter((r) => r.date !== '');
  if (dated.length === 0) return dateChoice('YYYY-MM-DD', true);
  const detection = detectDateFormat([...new Set(dated.map((r) => r.date))]);
  switch (detection.kind) {
    case 'found':
      return dateChoice(detection.format, true);
    case 'ambiguous':
      throw importParseError(
        (dated[0] as Cells).line,
        `the dates fit several formats (${detection.formats.join(', ')}); say which with --date-format`,
        { ...columnOf(mapping, 'date'), formats: detection.formats },
      );
    case 'none':
      return dateChoice(detection.format, false);
  }
}

function readAmount(cells: Cells, mapping: ResolvedMapping, options: CsvParseOptions): number {
  const decimalComma = options.decimalComma ?? false;
  const read = (field: 'amount' | 'debit' | 'credit'): number | null => {
    const cell = cells[field];
    if (cell === '') return null;
    try {
      return parseCsvAmount(cell, options.currency, decimalComma);
    } catch (err) {
      throw fieldError(cells.line, err, columnOf(mapping, field));
    }
  };
  if (mapping.amount !== undefined) {
    const amount = read('amount');
    if (amount === null)
      throw importParseError(cells.line, 'the amount is empty', columnOf(mapping, 'amount'));
    return amount;
  }
  const debit = read('debit');
  const credit = read('credit');
  if (debit === null && credit === null) {
    throw importParseError(
      cells.line,
      'both debit and credit are empty',
      columnOf(mapping, mapping.debit ? 'debit' : 'credit'),
    );
  }
  // Banks write debits as positive or negative numbers; either way money left the account.
  return Math.abs(credit ?? 0) - Math.abs(debit ?? 0);
}

function columnOf(
  mapping: ResolvedMapping,
  field: CsvField,
): { column?: number; columnName?: string } {
  const column = mapping[field];
  return column === undefined ? {} : { column: column.index + 1, columnName: column.name };
}
