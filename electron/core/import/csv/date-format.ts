import * as z from 'zod';
import { isIsoDate } from '../../../../shared/dates/iso-date.js';
import { monthNumber } from './month-names.js';

type DateOrder = 'ymd' | 'compact' | 'dmy' | 'mdy' | 'dMy' | 'Mdy';

// Each format fixes the order of day, month and year; the separator shown is only the
// usual one: any of / . - is read, and two-digit years in the day-first and month-first
// formats (00–69 → 20xx, 70–99 → 19xx). Dotted dates are day-first only. Times after the date are ignored, and a time zone
// never moves the date: the day is the one written.
const FORMATS = {
  'YYYY-MM-DD': { order: 'ymd', help: '2024-03-05, 2024/03/05, 2024-03-05T13:12:00Z' },
  YYYYMMDD: { order: 'compact', help: '20240305' },
  'DD/MM/YYYY': { order: 'dmy', help: '05/03/2024, 5-3-24' },
  'DD.MM.YYYY': { order: 'dmy', help: '05.03.2024, 29.12.24, 13:56' },
  'MM/DD/YYYY': { order: 'mdy', help: '03/05/2024, 3/5/24' },
  'D MMM YYYY': { order: 'dMy', help: '5 Mar 2024, 23-Jan-15, 3. März 2024, 15 janv. 2024' },
  'MMM D YYYY': { order: 'Mdy', help: 'Mar 5, 2024, March 5 2024' },
} as const satisfies Record<string, { order: DateOrder; help: string }>;

export type CsvDateFormat = keyof typeof FORMATS;
export const CSV_DATE_FORMATS = Object.keys(FORMATS) as CsvDateFormat[];
export const CsvDateFormatSchema = z.enum(CSV_DATE_FORMATS as [CsvDateFormat, ...CsvDateFormat[]]);

/** How two-digit years are read, for the CLI help. */
export const CSV_TWO_DIGIT_YEARS = 'two-digit years: 00–69 are 2000–2069, 70–99 are 1970–1999';

/** Each format with an example of what it reads, for the CLI help. */
export const CSV_DATE_FORMAT_HELP: readonly { format: CsvDateFormat; examples: string }[] =
  CSV_DATE_FORMATS.map((format) => ({ format, examples: FORMATS[format].help }));

const TIME =
  '(?:(?:T|,?\\s+|\\s*,\\s*)\\d{1,2}[:.]\\d{2}(?:[:.]\\d{2}(?:[.,]\\d+)?)?\\s*(?:[ap]\\.?m\\.?)?\\s*(?:z|utc|gmt|[+-]\\d{2}:?\\d{2}|[a-z]{3,4})?)?';
const NUMERIC = new RegExp(`^(\\d{1,4})([./-])(\\d{1,2})\\2(\\d{1,4})\\.?${TIME}$`, 'i');
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DAY_NAME = new RegExp(
  `^(\\d{1,2})\\.?[\\s-]*(\\p{L}+)\\.?[\\s,-]*(\\d{4}|\\d{2})${TIME}$`,
  'iu',
);
const NAME_DAY = new RegExp(
  `^(\\p{L}+)\\.?[\\s-]*(\\d{1,2})(?:st|nd|rd|th)?\\.?,?[\\s-]*(\\d{4}|\\d{2})${TIME}$`,
  'iu',
);

/** The ISO date for `text` in `format`, or null when it does not fit or is no real day. */
export function parseCsvDate(text: string, format: CsvDateFormat): string | null {
  return parseInOrder(text.trim(), FORMATS[format].order);
}

function parseInOrder(text: string, order: DateOrder): string | null {
  switch (order) {
    case 'compact': {
      const m = COMPACT.exec(text);
      return m === null ? null : isoIfReal(Number(m[1]), Number(m[2]), Number(m[3]));
    }
    case 'dMy':
    case 'Mdy': {
      const m = (order === 'dMy' ? DAY_NAME : NAME_DAY).exec(text);
      if (m === null) return null;
      const [dayText, monthText] = order === 'dMy' ? [m[1], m[2]] : [m[2], m[1]];
      const month = monthNumber(monthText ?? '');
      return month === null ? null : isoIfReal(year(m[3] ?? ''), month, Number(dayText));
    }
    default: {
      const m = NUMERIC.exec(text);
      if (m === null) return null;
      const [a, b, c] = [m[1] ?? '', m[3] ?? '', m[4] ?? ''];
      if (order === 'ymd') {
        return a.length === 4 && c.length <= 2 ? isoIfReal(Number(a), Number(b), Number(c)) : null;
      }
      if (a.length > 2 || (c.length !== 2 && c.length !== 4)) return null;
      // No bank writes month-first dates with dots: "04.03.2024" is always 4 March.
      if (order === 'mdy' && m[2] === '.') return null;
      return order === 'dmy'
        ? isoIfReal(year(c), Number(b), Number(a))
        : isoIfReal(year(c), Number(a), Number(b));
    }
  }
}

function year(text: string): number {
  const n = Number(text);
  if (text.length !== 2) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

/** 'YYYY-MM-DD' when the parts name a real day in the years the ledger accepts, else null. */
export function isoIfReal(year: number, month: number, day: number): string | null {
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** Whether a cell looks like a date in any format (used to find date columns). */
export function looksLikeDate(text: string): boolean {
  const t = text.trim();
  return DETECTABLE.some((format) => parseCsvDate(t, format) !== null);
}

// Two names share an order (DD/MM/YYYY and DD.MM.YYYY); detection tries each order once.
const DETECTABLE: readonly CsvDateFormat[] = [
  'YYYY-MM-DD',
  'YYYYMMDD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'D MMM YYYY',
  'MMM D YYYY',
];

export type DateFormatDetection =
  | { kind: 'found'; format: CsvDateFormat; byOrder?: true }
  | { kind: 'ambiguous'; formats: CsvDateFormat[] }
  | { kind: 'none'; format: CsvDateFormat; failing: string };

/**
 * Picks the format under which every value is a real date. When day and month could be
 * swapped (every day ≤ 12), the file's date order decides: a statement is sorted, so the
 * reading under which the dates in file order never go both forwards and backwards wins.
 * When that does not decide either, the caller must ask: guessing would put a year of
 * transactions in the wrong months.
 *
 * @param distinct every distinct date cell of the file
 * @param inOrder date cells in file order (a bounded prefix)
 */
export function detectDateFormat(
  distinct: readonly string[],
  inOrder: readonly string[] = [],
): DateFormatDetection {
  const fitting: CsvDateFormat[] = [];
  let best: { format: CsvDateFormat; failing: string; fits: number } | null = null;
  for (const format of DETECTABLE) {
    let fits = 0;
    let failing: string | null = null;
    for (const value of distinct) {
      if (parseCsvDate(value, format) === null) failing ??= value;
      else fits++;
    }
    if (failing === null) fitting.push(format);
    else if (best === null || fits > best.fits) best = { format, failing, fits };
  }
  if (fitting.length === 1) return { kind: 'found', format: named(fitting[0], distinct) };
  if (fitting.length > 1) {
    const sorted = fitting.filter((format) => isMonotonic(inOrder, format));
    if (sorted.length === 1)
      return { kind: 'found', format: named(sorted[0], distinct), byOrder: true };
    return { kind: 'ambiguous', formats: fitting.map((f) => named(f, distinct)) };
  }
  return { kind: 'none', format: best?.format ?? 'YYYY-MM-DD', failing: best?.failing ?? '' };
}

/** German-style dotted dates are reported as DD.MM.YYYY, as the file writes them. */
function named(format: CsvDateFormat | undefined, sample: readonly string[]): CsvDateFormat {
  if (format === 'DD/MM/YYYY' && /^\d{1,2}\.\d/.test(sample[0]?.trim() ?? '')) return 'DD.MM.YYYY';
  return format ?? 'YYYY-MM-DD';
}

function isMonotonic(values: readonly string[], format: CsvDateFormat): boolean {
  let up = false;
  let down = false;
  let previous: string | null = null;
  for (const value of values) {
    const date = parseCsvDate(value, format);
    if (date === null) continue;
    if (previous !== null) {
      if (date > previous) up = true;
      else if (date < previous) down = true;
    }
    previous = date;
  }
  return !(up && down);
}
