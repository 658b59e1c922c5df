/**
 * Checks and sums of integer minor units, without zod: the page's first script formats
 * money with these and loads no schema library. `money.ts` adds the schemas.
 */
import { CofferError } from '../errors/coffer-error.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function isMinorUnits(value: unknown): value is number {
  return Number.isSafeInteger(value);
}

/** Throws INVALID_AMOUNT for a non-integer and AMOUNT_OUT_OF_RANGE past the safe range. */
export function assertMinorUnits(value: unknown, what = 'Amount'): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new CofferError('INVALID_AMOUNT', `${what} must be a whole number of minor units`);
  }
  if (!Number.isSafeInteger(value)) {
    throw new CofferError(
      'AMOUNT_OUT_OF_RANGE',
      `${what} is beyond ±${Number.MAX_SAFE_INTEGER} minor units`,
    );
  }
  return value === 0 ? 0 : value; // folds -0 into 0
}

/**
 * Exact sum. Every input must be a safe integer; throws AMOUNT_OUT_OF_RANGE when the total
 * is beyond the safe range. Partial sums may leave the range and come back: only the
 * total is judged, so the order of the values never changes the outcome.
 */
export function sumMinor(values: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const value = assertMinorUnits(values[i], `Amount #${i + 1}`);
    total += value;
    if (!Number.isSafeInteger(total)) return sumMinorBig(values);
  }
  return total === 0 ? 0 : total;
}

function sumMinorBig(values: readonly number[]): number {
  let total = 0n;
  values.forEach((value, i) => {
    total += BigInt(assertMinorUnits(value, `Amount #${i + 1}`));
  });
  return bigintToMinor(total);
}

/** Converts an exact bigint of minor units to a number; AMOUNT_OUT_OF_RANGE if unsafe. */
export function bigintToMinor(value: bigint): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new CofferError(
      'AMOUNT_OUT_OF_RANGE',
      `Amount is beyond ±${Number.MAX_SAFE_INTEGER} minor units`,
    );
  }
  return Number(value);
}
