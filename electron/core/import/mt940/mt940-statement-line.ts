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
  const [, , , , entryMonth, , mark, funds, amount, typeCode, refs] = m;
  const { valueDate, bookingDate } = readDates(
    first.slice(0, entryMonth === undefined ? 6 : 10),
    line,
  );
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

// A statement's rows share a handful of dates; each "YYMMDD[MMDD]" is worked out once.
const DATES = new Map<string, { valueDate: string; bookingDate: string }>();

function readDates(digits: string, line: number): { valueDate: string; bookingDate: string } {
  const known = DATES.get(digits);
  if (known !== undefined) return known;
  const year = fullYear(Number(digits.slice(0, 2)));
  const month = Number(digits.slice(2, 4));
  const valueDate = isoIfReal(year, month, Number(digits.slice(4, 6)));
  if (valueDate === null) {
    throw importParseError(line, `:61: value date "${digits.slice(0, 6)}" is no real day`);
  }
  let bookingDate = valueDate;
  if (digits.length === 10) {
    const entryMonth = Number(digits.slice(6, 8));
    // The entry date nearest the value date: a December value date booked on "0102" was
    // booked in January of the next year, a January one booked on "1231" in December of
    // the year before.
    const entryYear = entryMonth - month > 6 ? year - 1 : month - entryMonth > 6 ? year + 1 : year;
    const found = isoIfReal(entryYear, entryMonth, Number(digits.slice(8, 10)));
    if (found === null) {
      throw importParseError(line, `:61: entry date "${digits.slice(6, 10)}" is no real day`);
    }
    bookingDate = found;
  }
  if (DATES.size > 4096) DATES.clear();
  const dates = { valueDate, bookingDate };
  DATES.set(digits, dates);
  return dates;
}
