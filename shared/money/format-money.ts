import { CofferError } from '../errors/coffer-error.js';
import { currencyExponent } from './currency-codes.js';
import { assertMinorUnits } from './minor-units.js';

/**
 * Exact decimal text of an amount: "-1234.56" for -123456 USD, "1234" for 1234 JPY,
 * "0.005" for 5 KWD. No grouping, no symbol, no locale: for CSV, JSON and round trips
 * through `parseAmount`.
 */
export function minorToDecimalString(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  return scaledToDecimalString(BigInt(assertMinorUnits(amountMinor)), exponent);
}

/** Exact decimal text of a fixed-point bigint: 1500n at scale 3 is "1.500". */
export function scaledToDecimalString(value: bigint, scale: number): string {
  if (!Number.isInteger(scale) || scale < 0) {
    throw new CofferError('INVALID_INPUT', 'Scale must be a non-negative whole number');
  }
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return scale === 0 ? sign + digits : `${sign}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Amount for people, through Intl with exactly the currency's ISO 4217 decimals. Intl is
 * given the exact decimal string, not a float, so every digit survives even past 2^53.
 */
export function formatMoney(amountMinor: number, currency: string, locale = 'en-US'): string {
  const decimal = minorToDecimalString(amountMinor, currency) as Intl.StringNumericLiteral;
  return formatterFor(locale, currency).format(decimal);
}

const FORMATTER_CACHE_LIMIT = 64;
const formatters = new Map<string, Intl.NumberFormat>();

// Building an Intl.NumberFormat costs far more than using one; ledgers format thousands.
function formatterFor(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    const digits = currencyExponent(currency);
    try {
      formatter = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
    } catch {
      throw new CofferError(
        'INVALID_INPUT',
        `Unknown locale ${JSON.stringify(locale.slice(0, 35))}`,
      );
    }
    if (formatters.size >= FORMATTER_CACHE_LIMIT) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter;
}
