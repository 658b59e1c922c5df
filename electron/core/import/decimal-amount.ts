import { CofferError } from '../../../shared/errors/coffer-error.js';
import { currencyExponent } from '../../../shared/money/currency.js';

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Exact conversion of a plain decimal ("-4.50", "+100", ".5") to integer minor units of
 * `currency`, through BigInt digits so no float ever sees the amount. Digits past the
 * currency's exponent are accepted only when they are zeros ("4.500" USD is 450).
 */
export function decimalToMinor(text: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = DECIMAL.exec(text);
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (match === null || (whole === '' && fraction === '')) {
    throw new CofferError('INVALID_AMOUNT', `"${text.slice(0, 40)}" is not an amount`, {
      input: text.slice(0, 40),
    });
  }
  const kept = fraction.slice(0, exponent);
  if (/[1-9]/.test(fraction.slice(exponent))) {
    throw new CofferError(
      'TOO_MANY_DECIMALS',
      `"${text}" has more than ${exponent} decimal places, too many for ${currency}`,
      { input: text, currency, exponent },
    );
  }
  const digits = (whole === '' ? '0' : whole) + kept.padEnd(exponent, '0');
  // Up to 15 digits are below 2^53, so the number is exact without BigInt: every amount of
  // a statement is read here, and a BigInt per cell was a visible part of reading a file.
  let minor: number;
  if (digits.length <= MAX_EXACT_DIGITS) {
    minor = Number(digits);
  } else {
    const magnitude = BigInt(digits);
    if (magnitude > MAX_SAFE) {
      throw new CofferError('AMOUNT_OUT_OF_RANGE', `"${text.slice(0, 40)}" is out of range`, {
        input: text.slice(0, 40),
      });
    }
    minor = Number(magnitude);
  }
  return match[1] === '-' && minor !== 0 ? -minor : minor;
}

/** 999,999,999,999,999 < Number.MAX_SAFE_INTEGER: fifteen decimal digits are always exact. */
const MAX_EXACT_DIGITS = 15;
