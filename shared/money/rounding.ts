import { CofferError } from '../errors/coffer-error.js';

/**
 * numerator / denominator rounded to the nearest integer, halves away from zero
 * (2.5 → 3, -2.5 → -3): the commercial rule invoices use for per-line tax and discounts.
 */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (typeof numerator !== 'bigint' || typeof denominator !== 'bigint') {
    throw new CofferError('INVALID_INPUT', 'divRoundHalfUp takes bigint arguments');
  }
  if (denominator <= 0n) throw new CofferError('INVALID_INPUT', 'Denominator must be positive');
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator; // has the numerator's sign
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}
