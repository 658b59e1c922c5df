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
  header: z.boolean().optional(),
  delimiter: z.enum(CSV_DELIMITERS).optional(),
  dateFormat: CsvDateFormatSchema.optional(),
  decimalComma: z.boolean().optional(),
  encoding: z.enum(['utf-8', 'windows-1252', 'iso-8859-1']).optional(),
});
type CsvReaderOptions = z.infer<typeof CsvReaderOptionsSchema>;

const FLAGS: Record<keyof CsvReaderOptions, string> = {
  mapping: '--map',
  header: '--no-header',
  delimiter: '--delimiter',
  dateFormat: '--date-format',
  decimalComma: '--decimal-separator',
  encoding: '--encoding',
};

export const readCsvStatement: StatementReader = (bytes, context) => {
  const flags = parseInput(CsvReaderOptionsSchema, context.options, 'CSV options');
  const signature = flags.header === false ? null : headerSignature(bytes);
  const profile = signature === null ? null : context.profileFor(signature);
  const saved = profile === null ? {} : (CsvReaderOptionsSchema.safeParse(profile).data ?? {});
  const opts: CsvReaderOptions = { ...saved, ...flags };
  if (context.currency === null) {
    throw new CofferError(
      'IMPORT_ACCOUNT_UNKNOWN',
      'a CSV statement does not name its account: pass --account NAME',
    );
  }
  const text = decodeText(bytes, opts.encoding);
  const parsed = parseCsvStatement(text, { currency: context.currency, ...opts });
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
          for (const row of rows) yield { kind: 'row', row };
        },
      },
    ],
    columns,
    settings: [
      setting('mapping', columns.map((c) => `${c.field}=${c.column}`).join(', '), 'mapping'),
      setting('delimiter', parsed.delimiter === '\t' ? 'tab' : parsed.delimiter, 'delimiter'),
      setting('date format', parsed.dateFormat ?? '(no rows)', 'dateFormat'),
      setting('decimal separator', opts.decimalComma === true ? ',' : '.', 'decimalComma'),
      setting('encoding', opts.encoding ?? 'utf-8', 'encoding'),
    ],
    warnings: [],
    ...(header && signature !== null ? { signature } : {}),
    resolved: {
      mapping: opts.mapping ?? Object.fromEntries(Object.entries(parsed.columns)),
      delimiter: parsed.delimiter,
      ...(parsed.dateFormat === null ? {} : { dateFormat: parsed.dateFormat }),
      decimalComma: opts.decimalComma ?? false,
      header,
      ...(opts.encoding === undefined ? {} : { encoding: opts.encoding }),
    },
  };
};

/**
 * The header row's text, cells trimmed and lowercased: the same bank's next file has the
 * same. Read as Latin-1 so it is found before the encoding is known (headers are ASCII).
 */
function headerSignature(bytes: Buffer): string | null {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const end = bytes.indexOf(0x0a, start);
  const first = bytes
    .subarray(start, end === -1 ? Math.min(bytes.length, 4096) : Math.min(end, start + 4096))
    .toString('latin1')
    .replace(/\r$/, '');
  const cells = first.split(/[,;\t]/).map((c) => c.replace(/^"|"$/g, '').trim().toLowerCase());
  return cells.every((c) => c === '') ? null : cells.join('|');
}
