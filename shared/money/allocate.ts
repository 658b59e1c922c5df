import { CofferError } from '../errors/coffer-error.js';
import { assertMinorUnits } from './money.js';

const MAX_PARTS = 1_000_000;

/**
 * Splits `totalMinor` in proportion to `weights` by the largest-remainder method: each
 * part gets the floor of its exact share, then the minor units left over go one each to
 * the parts with the largest remainders, the earlier part first on a tie. The parts
 * always sum to the total, each is within one minor unit of its exact share, and a zero
 * weight gets nothing. A negative total is split as the mirror of the positive one.
 *
 * allocate(10000, [1, 1, 1]) → [3334, 3333, 3333]
 */
export function allocate(totalMinor: number, weights: readonly number[]): number[] {
  const total = assertMinorUnits(totalMinor, 'Total');
  const bigWeights = checkWeights(weights);
  const weightSum = bigWeights.reduce((sum, w) => sum + w, 0n);
  const magnitude = BigInt(Math.abs(total));

  const shares = bigWeights.map((w) => (magnitude * w) / weightSum);
  const remainders = bigWeights.map((w) => (magnitude * w) % weightSum);
  let leftover = Number(magnitude - shares.reduce((sum, s) => sum + s, 0n));

  const order = remainders.map((_, i) => i);
  order.sort((a, b) => {
    const ra = remainders[a] as bigint;
    const rb = remainders[b] as bigint;
    return ra === rb ? a - b : ra > rb ? -1 : 1;
  });
  for (const index of order) {
    if (leftover === 0) break;
    shares[index] = (shares[index] as bigint) + 1n;
    leftover--;
  }

  return shares.map((share) => {
    const value = Number(share);
    return total < 0 && value !== 0 ? -value : value;
  });
}

/** `parts` shares as equal as possible, the larger ones first: splitEvenly(100, 3) → [34, 33, 33]. */
export function splitEvenly(totalMinor: number, parts: number): number[] {
  if (!Number.isInteger(parts) || parts < 1 || parts > MAX_PARTS) {
    throw new CofferError(
      'INVALID_INPUT',
      `Number of parts must be a whole number from 1 to ${MAX_PARTS}`,
    );
  }
  return allocate(totalMinor, new Array<number>(parts).fill(1));
}

function checkWeights(weights: readonly number[]): bigint[] {
  // Checked at run time too: callers from JSON or IPC may pass anything.
  const list: unknown = weights;
  if (!Array.isArray(list) || weights.length === 0 || weights.length > MAX_PARTS) {
    throw new CofferError('INVALID_INPUT', `Weights must be a list of 1 to ${MAX_PARTS} numbers`);
  }
  let anyPositive = false;
  const result = weights.map((w, i) => {
    if (!Number.isSafeInteger(w) || w < 0) {
      throw new CofferError(
        'INVALID_INPUT',
        `Weight #${i + 1} must be a non-negative whole number`,
      );
    }
    if (w > 0) anyPositive = true;
    return BigInt(w);
  });
  if (!anyPositive) throw new CofferError('INVALID_INPUT', 'At least one weight must be positive');
  return result;
}
