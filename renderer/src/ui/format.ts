/**
 * Money and dates for people: `Intl` in the user's locale. Amounts are integer minor
 * units; they are turned into a decimal string by the shared code (never through a float
 * division), and only then handed to Intl for grouping and symbols.
 */
import { currencyExponent } from '../../../shared/money/currency-codes.js';
import { minorToDecimalString } from '../../../shared/money/format-money.js';

let locale: string | undefined;

/**
 * Formatters by currency (and '' for dates) for the current locale. Making an Intl
 * formatter costs far more than using one: a ledger scrolling through thousands of rows
 * made one per cell and spent seconds doing it.
 */
const formatters = new Map<string, Intl.NumberFormat>();
let dateFormat: Intl.DateTimeFormat | undefined;
let monthFormat: Intl.DateTimeFormat | undefined;
let instantFormat: Intl.DateTimeFormat | undefined;

/** The locale the user chose in settings; the browser's until then. */
export function setDisplayLocale(next: string | undefined): void {
  locale = next;
  formatters.clear();
  dateFormat = undefined;
  monthFormat = undefined;
  instantFormat = undefined;
}

function moneyFormat(currency: string): Intl.NumberFormat {
  let format = formatters.get(currency);
  if (format === undefined) {
    const digits = currencyExponent(currency);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(currency, format);
  }
  return format;
}

export function formatMinor(minor: number, currency: string): string {
  // format() takes a decimal string exactly (Intl.NumberFormat v3), so no float is involved.
  return moneyFormat(currency).format(minorToDecimalString(minor, currency) as unknown as number);
}

export function formatIsoDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return isoDate;
  dateFormat ??= new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  return dateFormat.format(new Date(Date.UTC(year, month - 1, day)));
}

/** 'YYYY-MM' as the month and year in the user's locale ("December 2026"). */
export function formatIsoMonth(isoMonth: string): string {
  const [year, month] = isoMonth.split('-').map(Number);
  if (year === undefined || month === undefined) return isoMonth;
  monthFormat ??= new Intl.DateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return monthFormat.format(new Date(Date.UTC(year, month - 1, 1)));
}

/** An instant (UTC ms) as date and time on this device's clock ("6 Dec 2026, 11:40"). */
export function formatInstant(ms: number): string {
  instantFormat ??= new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return Number.isFinite(ms) ? instantFormat.format(new Date(ms)) : '—';
}
