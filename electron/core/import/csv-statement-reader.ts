import { z } from 'zod';
import { CofferError } from '../../../shared/errors/coffer-error.js';
import { parseInput } from '../validation/parse-input.js';
import { CSV_DELIMITERS } from './csv/csv-delimiter.js';
import { CsvMappingSchema } from './csv/csv-mapping.js';
import { CsvDateFormatSchema } from './csv/date-format.js';
import { parseCsvStatement } from './csv/parse-csv-statement.js';
import type { DetectedSetting, StatementItem } from './statement.js';
import type { StatementReader } from './statement-reader.js';
import { decodeText } from './text-decoding.js';

/**
 * Adapter from the statement-reader table to `parseCsvStatement`. Kept apart so the CSV
 * reader that streams rows, keeps extras and reports every guess can replace it whole.
 */
export const CsvReaderOptionsSchema = z.strictObject({
  mapping: CsvMappingSchema.optional(),
  /** false: the file has no header row. */
  header: z.boolean().optional(),
  /** 1-based line of the header row; lines above it are a preamble. */
  headerLine: z.number().int().min(1).max(1_000).optional(),
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  dateFormat: CsvDateFormatSchema.optional(),
  decimalSeparator: z.enum(['.', ',']).optional(),
  encoding: z.enum(['utf-8', 'windows-1252', 'iso-8859-1']).optional(),
  /** negate: the file writes money out as positive (card statements). */
  sign: z.enum(['as-is', 'negate']).optional(),
});
type CsvReaderOptions = z.infer<typeof CsvReaderOptionsSchema>;

const FLAGS: Record<keyof CsvReaderOptions, string> = {
  mapping: '--map',
  header: '--no-header',
  headerLine: '--header-line',
  delimiter: '--delimiter',
  dateFormat: '--date-format',
  decimalSeparator: '--decimal-separator',
  encoding: '--encoding',
  sign: '--sign',
};

export const readCsvStatement: StatementReader = (bytes, context) => {
  const flags = parseInput(CsvReaderOptionsSchema, context.options, 'CSV options');
  const skipLines = (flags.headerLine ?? 1) - 1;
  const signature = flags.header === false ? null : headerSignature(bytes, skipLines);
  const profile = signature === null ? null : context.profileFor(signature);
  const saved = profile === null ? {} : (CsvReaderOptionsSchema.safeParse(profile).data ?? {});
  const opts: CsvReaderOptions = { ...saved, ...flags };
  const currency = context.currency;
  if (currency === null) {
    throw new CofferError(
      'IMPORT_ACCOUNT_UNKNOWN',
      'a CSV statement does not name its account: pass --account NAME',
    );
  }
  const skip = (opts.headerLine ?? 1) - 1;
  const text = dropLines(decodeText(bytes, opts.encoding), skip);
  const parsed = atFileLines(skip, () =>
    parseCsvStatement(text, {
      currency,
      ...(opts.mapping === undefined ? {} : { mapping: opts.mapping }),
      ...(opts.header === undefined ? {} : { header: opts.header }),
      ...(opts.delimiter === undefined ? {} : { delimiter: opts.delimiter }),
      ...(opts.dateFormat === undefined ? {} : { dateFormat: opts.dateFormat }),
      decimalComma: opts.decimalSeparator === ',',
    }),
  );
  const negate = opts.sign === 'negate';
  const source = (key: keyof CsvReaderOptions): DetectedSetting['source'] =>
    key in flags ? 'flag' : key in saved ? 'profile' : 'detected';
  const setting = (name: string, value: string, key: keyof CsvReaderOptions): DetectedSetting => ({
    name,
    value,
    source: source(key),
    flag: FLAGS[key],
  });
  const header = opts.header ?? true;
  const rows = parsed.rows;
  const columns = Object.entries(parsed.columns).map(([field, column]) => ({ column, field }));
  return {
    format: 'csv',
    statements: [
      {
        bankAccountId: null,
        currency: null,
        line: 1,
        *items(): Iterable<StatementItem> {
          for (const row of rows) {
            yield {
              kind: 'row',
              row: {
                ...row,
                line: row.line + skip,
                amountMinor: negate && row.amountMinor !== 0 ? -row.amountMinor : row.amountMinor,
              },
            };
          }
        },
      },
    ],
    columns,
    settings: [
      setting('mapping', columns.map((c) => `${c.field}=${c.column}`).join(', '), 'mapping'),
      setting('delimiter', parsed.delimiter === '\t' ? 'tab' : parsed.delimiter, 'delimiter'),
      setting('date format', parsed.dateFormat ?? '(no rows)', 'dateFormat'),
      setting('decimal separator', opts.decimalSeparator ?? '.', 'decimalSeparator'),
      setting('encoding', opts.encoding ?? 'utf-8', 'encoding'),
      setting('sign rule', opts.sign ?? 'as-is', 'sign'),
      setting('header line', header ? String(skip + 1) : 'none', 'headerLine'),
    ],
    warnings: [],
    ...(header && signature !== null ? { signature } : {}),
    resolved: {
      mapping: opts.mapping ?? Object.fromEntries(Object.entries(parsed.columns)),
      delimiter: parsed.delimiter,
      ...(parsed.dateFormat === null ? {} : { dateFormat: parsed.dateFormat }),
      decimalSeparator: opts.decimalSeparator ?? '.',
      header,
      ...(skip === 0 ? {} : { headerLine: skip + 1 }),
      ...(opts.encoding === undefined ? {} : { encoding: opts.encoding }),
      sign: opts.sign ?? 'as-is',
    },
  };
};

/**
 * The header row's text, cells trimmed and lowercased: the same bank's next file has the
 * same. Read as Latin-1 so it is found before the encoding is known (headers are ASCII).
 */
function headerSignature(bytes: Buffer, skipLines: number): string | null {
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let i = 0; i < skipLines && start < bytes.length; i++) {
    const next = bytes.indexOf(0x0a, start);
    start = next === -1 ? bytes.length : next + 1;
  }
  const end = bytes.indexOf(0x0a, start);
  const first = bytes
    .subarray(start, end === -1 ? Math.min(bytes.length, 4096) : Math.min(end, start + 4096))
    .toString('latin1')
    .replace(/\r$/, '');
  const cells = first.split(/[,;\t]/).map((c) => c.replace(/^"|"$/g, '').trim().toLowerCase());
  return cells.every((c) => c === '') ? null : cells.join('|');
}

function dropLines(text: string, count: number): string {
  let at = 0;
  for (let i = 0; i < count; i++) {
    const next = text.indexOf('\n', at);
    if (next === -1) return '';
    at = next + 1;
  }
  return text.slice(at);
}

/** The parser counts lines from the header it was given; messages count from the file's top. */
function atFileLines<T>(skip: number, read: () => T): T {
  try {
    return read();
  } catch (err) {
    const line = (err as { details?: { line?: unknown } }).details?.line;
    if (skip === 0 || !(err instanceof CofferError) || typeof line !== 'number') throw err;
    const message = err.message.replace(/^line \d+: /, '');
    throw new CofferError(err.code, `line ${line + skip}: ${message}`, {
      ...err.details,
      line: line + skip,
    });
  }
}
