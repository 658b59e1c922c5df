/**
 * Money and dates for people: `Intl` in the user's locale. Amounts are integer minor
 * units; they are turned into a decimal string by the shared code (never through a float
 * division), and only then handed to Intl for grouping and symbols.
 */
import { currencyExponent } from '../../../shared/money/currency.js';
import { minorToDecimalString } from '../../../shared/money/format-money.js';

let locale: string | undefined;

/** The locale the user chose in settings; the browser's until then. */
export function setDisplayLocale(next: string | undefined): void {
  locale = next;
}

export function formatMinor(minor: number, currency: string): string {
  const digits = currencyExponent(currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // format() takes a decimal string exactly (Intl.NumberFormat v3), so no float is involved.
  return format.format(minorToDecimalString(minor, currency) as unknown as number);
}

export function formatIsoDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return isoDate;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** 'YYYY-MM' as the month and year in the user's locale ("December 2026"). */
export function formatIsoMonth(isoMonth: string): string {
  const [year, month] = isoMonth.split('-').map(Number);
  if (year === undefined || month === undefined) return isoMonth;
  return new Intl.DateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year, month - 1, 1)));
}
