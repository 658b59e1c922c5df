import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { isIsoDate } from '../../../../shared/dates/iso-date.js';
import { importParseError } from '../parse-error.js';

/** Day/month order of a QIF file's numeric dates, as the `--date-format` flag names it. */
export const QIF_DATE_ORDERS = ['MM/DD/YYYY', 'DD/MM/YYYY'] as const;
export type QifDateOrder = (typeof QIF_DATE_ORDERS)[number];

/**
 * A D field split into its parts. Quicken writes "1/23/15", "1/23'15" (the apostrophe
 * marks years from 2000) and pads with spaces (" 1/ 3'05"); other programs write
 * "01/23/2015", "23/01/2015", "2015-01-23" or "23.01.2015".
 */
export interface QifDateParts {
  /** Which layout: 'ymd' is ISO, 'dot' is day.month.year, 'numeric' needs the file's order. */
  layout: 'ymd' | 'dot' | 'numeric';
  first: number;
  second: number;
  year: number;
  /** The year was written with two digits (or one) after a slash, dash or dot. */
  shortYear: boolean;
}

const NUMERIC = /^(\d{1,2})\s*[/-]\s*(\d{1,2})\s*(['/-])\s*(\d{1,4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DOTTED = /^(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{2}|\d{4})$/;

// Two-digit years written without an apostrophe: 00–69 are 2000–2069, 70–99 are 1970–1999
// (the POSIX strptime rule). Reported as a setting whenever the file has such a year.
const PIVOT = 70;

export function splitQifDate(text: string): QifDateParts | null {
  const value = text.trim();
  let m = NUMERIC.exec(value);
  if (m !== null) {
    const digits = m[4] ?? '';
    const apostrophe = m[3] === "'";
    const yy = Number(digits);
    const short = digits.length <= 2;
    return {
      layout: 'numeric',
      first: Number(m[1]),
      second: Number(m[2]),
      year: !short ? yy : apostrophe ? 2000 + yy : yy < PIVOT ? 2000 + yy : 1900 + yy,
      shortYear: short && !apostrophe,
    };
  }
  m = ISO.exec(value);
  if (m !== null) {
    return {
      layout: 'ymd',
      first: Number(m[2]),
      second: Number(m[3]),
      year: Number(m[1]),
      shortYear: false,
    };
  }
  m = DOTTED.exec(value);
  if (m !== null) {
    const digits = m[3] ?? '';
    const yy = Number(digits);
    const short = digits.length === 2;
    return {
      layout: 'dot',
      first: Number(m[1]),
      second: Number(m[2]),
      year: !short ? yy : yy < PIVOT ? 2000 + yy : 1900 + yy,
      shortYear: short,
    };
  }
  return null;
}

export type QifDateDecision =
  { order: QifDateOrder; source: 'detected' | 'flag' } | { order: null; source: 'detected' };

/**
 * Tracks the file's numeric dates as they are scanned: a first part above 12 proves
 * day-first, a second part above 12 proves month-first. Both in one file is an error; none
 * leaves the order open, and then the flag decides or the reader asks.
 */
export class QifDateDetector {
  private dayFirstLine: number | null = null;
  private monthFirstLine: number | null = null;
  private numeric = false;
  shortYearLine: number | null = null;
  /** The non-numeric layouts seen, for the setting shown when no order is needed. */
  readonly layouts = new Set<'YYYY-MM-DD' | 'DD.MM.YYYY'>();

  see(parts: QifDateParts, line: number): void {
    if (parts.shortYear && this.shortYearLine === null) this.shortYearLine = line;
    if (parts.layout === 'ymd') this.layouts.add('YYYY-MM-DD');
    if (parts.layout === 'dot') this.layouts.add('DD.MM.YYYY');
    if (parts.layout !== 'numeric') return;
    this.numeric = true;
    if (parts.first > 12 && this.dayFirstLine === null) this.dayFirstLine = line;
    if (parts.second > 12 && this.monthFirstLine === null) this.monthFirstLine = line;
  }

  decide(flag: QifDateOrder | undefined): QifDateDecision {
    if (flag !== undefined) return { order: flag, source: 'flag' };
    if (this.dayFirstLine !== null && this.monthFirstLine !== null) {
      throw importParseError(
        Math.max(this.dayFirstLine, this.monthFirstLine),
        `dates are written day first on line ${this.dayFirstLine} and month first on line ${this.monthFirstLine}; the file mixes two date formats`,
      );
    }
    if (this.dayFirstLine !== null) return { order: 'DD/MM/YYYY', source: 'detected' };
    if (this.monthFirstLine !== null) return { order: 'MM/DD/YYYY', source: 'detected' };
    if (!this.numeric) return { order: null, source: 'detected' };
    throw new CofferError(
      'IMPORT_NEEDS_CHOICE',
      'every date in the file reads both as month/day and as day/month; pass --date-format MM/DD/YYYY or --date-format DD/MM/YYYY',
      { setting: 'date format', options: [...QIF_DATE_ORDERS], flag: '--date-format' },
    );
  }
}

/** The ISO date of a D field under the file's order, or an error naming the line. */
export function qifDateToIso(text: string, order: QifDateOrder | null, line: number): string {
  const parts = splitQifDate(text);
  let iso: string | null = null;
  if (parts !== null) {
    const [month, day] =
      parts.layout === 'ymd'
        ? [parts.first, parts.second]
        : parts.layout === 'dot' || order === 'DD/MM/YYYY'
          ? [parts.second, parts.first]
          : [parts.first, parts.second];
    const candidate = `${String(parts.year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (isIsoDate(candidate)) iso = candidate;
  }
  if (iso === null) {
    throw importParseError(
      line,
      `"${text.trim().slice(0, 40)}" is not a date${order === null ? '' : ` in ${order}`}`,
      { field: 'D' },
    );
  }
  return iso;
}
