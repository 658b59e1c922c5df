import { z } from 'zod';
import { isIsoDate } from '../../../../shared/dates/iso-date.js';

/** Date layouts found in bank CSV exports. Day and month may have one digit where separated. */
export const CSV_DATE_FORMATS = [
  'YYYY-MM-DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'YYYYMMDD',
] as const;

export type CsvDateFormat = (typeof CSV_DATE_FORMATS)[number];

export const CsvDateFormatSchema = z.enum(CSV_DATE_FORMATS);

const PATTERNS: Record<CsvDateFormat, { re: RegExp; order: 'ymd' | 'dmy' | 'mdy' }> = {
  'YYYY-MM-DD': { re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: 'ymd' },
  'DD/MM/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'dmy' },
  'MM/DD/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: 'mdy' },
  'DD.MM.YYYY': { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: 'dmy' },
  YYYYMMDD: { re: /^(\d{4})(\d{2})(\d{2})$/, order: 'ymd' },
};

/** The ISO date for `text` in `format`, or null when it does not fit or is no real day. */
export function parseCsvDate(text: string, format: CsvDateFormat): string | null {
  const { re, order } = PATTERNS[format];
  const m = re.exec(text.trim());
  if (m === null) return null;
  const [a, b, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [year, month, day] = order === 'ymd' ? [a, b, c] : order === 'dmy' ? [c, b, a] : [c, a, b];
  return isoIfReal(year, month, day);
}

/** 'YYYY-MM-DD' when the parts name a real day in the years the ledger accepts, else null. */
export function isoIfReal(year: number, month: number, day: number): string | null {
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

export type DateFormatDetection =
  | { kind: 'found'; format: CsvDateFormat }
  | { kind: 'ambiguous'; formats: CsvDateFormat[] }
  | { kind: 'none'; format: CsvDateFormat; failingIndex: number };

/**
 * Picks the one format under which every value is a real date. When several fit (every
 * day ≤ 12, so 03/04/2024 could be March or April) the caller must ask the user: guessing
 * would put a year of transactions in the wrong months. When none fits, reports the
 * format that got furthest so the error can point at the first row that breaks it.
 */
export function detectDateFormat(values: readonly string[]): DateFormatDetection {
  const fitting: CsvDateFormat[] = [];
  let best: { format: CsvDateFormat; failingIndex: number } | null = null;
  for (const format of CSV_DATE_FORMATS) {
    const failingIndex = values.findIndex((v) => parseCsvDate(v, format) === null);
    if (failingIndex === -1) fitting.push(format);
    else if (best === null || failingIndex > best.failingIndex) best = { format, failingIndex };
  }
  const [only] = fitting;
  if (fitting.length === 1 && only !== undefined) return { kind: 'found', format: only };
  if (fitting.length > 1) return { kind: 'ambiguous', formats: fitting };
  return {
    kind: 'none',
    format: best?.format ?? 'YYYY-MM-DD',
    failingIndex: best?.failingIndex ?? 0,
  };
}
