/**
 * Exact parsing of what people type for invoice line quantities and rates, without going
 * through floating point: "1.5" hours → 1500 thousandths, "8.875" % → 88750 ppm.
 */
import { CofferError } from '../errors/coffer-error.js';

const DECIMAL = /^(\d+)(?:\.(\d*))?$|^\.(\d+)$/;

/** Parses a non-negative decimal into an integer scaled by 10^decimals. */
function parseScaled(input: string, decimals: number, what: string): number {
  const text = input.trim();
  const match = DECIMAL.exec(text);
  if (match === null) {
    throw new CofferError(
      'INVALID_INPUT',
      `The ${what} "${input}" is not a plain decimal number (use a dot, e.g. 1.5).`,
    );
  }
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? match[3] ?? '';
  if (fraction.replace(/0+$/, '').length > decimals) {
    throw new CofferError(
      'TOO_MANY_DECIMALS',
      `The ${what} "${input}" has more than ${decimals} decimal places.`,
    );
  }
  const scaled =
    BigInt(whole) * 10n ** BigInt(decimals) +
    BigInt((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0');
  if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new CofferError('AMOUNT_OUT_OF_RANGE', `The ${what} "${input}" is too large.`);
  }
  return Number(scaled);
}

/** "2" → 2000, "1.5" → 1500, "0.25" → 250; must be greater than zero. */
export function parseQuantityMilli(input: string): number {
  const value = parseScaled(input, 3, 'quantity');
  if (value <= 0)
    throw new CofferError('INVALID_INPUT', `The quantity "${input}" must be greater than zero.`);
  return value;
}

/** A percentage to parts per million: "8.875" → 88750, "20" → 200000; 0..100. */
export function parsePercentPpm(input: string): number {
  const text = input.trim().replace(/%$/, '').trim();
  const value = parseScaled(text, 4, 'percentage');
  if (value > 1_000_000)
    throw new CofferError('INVALID_INPUT', `The percentage "${input}" must be between 0 and 100.`);
  return value;
}

/** For display: 1500 → "1.5", 2000 → "2". */
export function formatQuantityMilli(quantityMilli: number): string {
  return formatScaled(quantityMilli, 3);
}

/** For display: 88750 → "8.875" (percent). */
export function formatPercentPpm(ppm: number): string {
  return formatScaled(ppm, 4);
}

function formatScaled(value: number, decimals: number): string {
  const negative = value < 0;
  const digits = Math.abs(value)
    .toString()
    .padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
