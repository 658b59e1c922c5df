import { currencyExponent } from '../../shared/money/currency.js';
import { parseAmount } from '../../shared/money/parse-amount.js';
import { formatMoney, minorToDecimalString } from '../../shared/money/format-money.js';

/** Amounts are typed as decimals in the account's currency and kept as minor units. */
export function amountArg(text: string, currency: string): number {
  return parseAmount(text, currency);
}

/** Human output: locale formatting with the currency symbol. */
export function showMoney(amountMinor: number, currency: string): string {
  return formatMoney(amountMinor, currency);
}

/** Script output keeps the exact minor units and adds the decimal string beside them. */
export function moneyJson(
  amountMinor: number,
  currency: string,
): { minor: number; decimal: string; currency: string } {
  return { minor: amountMinor, decimal: minorToDecimalString(amountMinor, currency), currency };
}

/** `--currency usd` means USD; an unknown code fails here with UNKNOWN_CURRENCY. */
export function currencyArg(text: string): string {
  const code = text.trim().toUpperCase();
  currencyExponent(code);
  return code;
}
