import { isoIfReal } from '../csv/date-format.js';
import { decimalToMinor } from '../decimal-amount.js';
import { fieldError, importParseError } from '../parse-error.js';

export interface Mt940StatementLine {
  valueDate: string;
  /** The entry (booking) date when the line gives one, else the value date. */
  bookingDate: string;
  /** C, D, RC (reversal of a credit) or RD (reversal of a debit). */
  mark: 'C' | 'D' | 'RC' | 'RD';
  /** Signed: C and RD add to the account, D and RC take from it. */
  amountMinor: number;
  fundsCode: string | null;
  /** e.g. NTRF, NMSC, NDDT, S103. */
  typeCode: string;
  customerReference: string | null;
  bankReference: string | null;
  supplementary: string | null;
}

// 6!n[4!n]2a[1!a]15d1!a3!c16x[//16x] on the first line, [34x] on the next.
const LINE =
  /^(\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2}))?(RC|RD|C|D)([A-Z])?(\d{1,15},\d{0,3})([NFS][A-Z0-9]{3})(.*)$/;

/** Reads one `:61:` field; the year of a MMDD entry date is the one nearest the value date. */
export function parseStatementLine(
  value: string,
  line: number,
  currency: string,
): Mt940StatementLine {
  const newline = value.indexOf('\n');
  const first = (newline === -1 ? value : value.slice(0, newline)).trim();
  const rest =
    newline === -1
      ? ''
      : value
          .slice(newline + 1)
          .replace(/\n/g, ' ')
          .trim();
  const m = LINE.exec(first);
  if (m === null) {
    throw importParseError(
      line,
      `:61: "${first.slice(0, 40)}" is not a statement line (YYMMDD[MMDD]C|D|RC|RD amount type reference)`,
    );
  }
  const [, yy, mm, dd, entryMonth, entryDay, mark, funds, amount, typeCode, refs] = m;
  const year = fullYear(Number(yy));
  const valueDate = isoIfReal(year, Number(mm), Number(dd));
  if (valueDate === null)
    throw importParseError(line, `:61: value date "${yy}${mm}${dd}" is no real day`);
  let bookingDate = valueDate;
  if (entryMonth !== undefined && entryDay !== undefined) {
    const found = nearestEntryDate(valueDate, year, Number(entryMonth), Number(entryDay));
    if (found === null) {
      throw importParseError(line, `:61: entry date "${entryMonth}${entryDay}" is no real day`);
    }
    bookingDate = found;
  }
  let minor: number;
  try {
    minor = decimalToMinor((amount ?? '').replace(',', '.'), currency);
  } catch (err) {
    throw fieldError(line, err, { tag: '61' });
  }
  const sign = mark === 'C' || mark === 'RD' ? 1 : -1;
  const slash = (refs ?? '').indexOf('//');
  const customer = (slash === -1 ? (refs ?? '') : (refs ?? '').slice(0, slash)).trim();
  const bank = slash === -1 ? '' : (refs ?? '').slice(slash + 2).trim();
  return {
    valueDate,
    bookingDate,
    mark: mark as Mt940StatementLine['mark'],
    amountMinor: sign * minor,
    fundsCode: funds ?? null,
    typeCode: typeCode ?? '',
    customerReference: customer === '' ? null : customer,
    bankReference: bank === '' ? null : bank,
    supplementary: rest === '' ? null : rest,
  };
}

/** Two-digit years: 80–99 are 1980–1999, the rest 2000–2079, as banks' own software reads them. */
export function fullYear(yy: number): number {
  return yy >= 80 ? 1900 + yy : 2000 + yy;
}

/**
 * The entry date in the year that puts it nearest the value date: a December 30 value
 * date booked on "0102" was booked on January 2 of the next year, and a January 2 value
 * date booked on "1231" on December 31 of the year before.
 */
function nearestEntryDate(
  valueDate: string,
  year: number,
  month: number,
  day: number,
): string | null {
  const value = Date.parse(valueDate);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const y of [year - 1, year, year + 1]) {
    const candidate = isoIfReal(y, month, day);
    if (candidate === null) continue;
    const distance = Math.abs(Date.parse(candidate) - value);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
