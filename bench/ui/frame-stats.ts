/**
 * Frame times from the `requestAnimationFrame` timestamps a page recorded: the gap
 * between consecutive frames, and the percentile a scroll row reports.
 */

/** The gaps between consecutive timestamps (ms); fewer than two timestamps give none. */
export function frameIntervals(timestamps: readonly number[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < timestamps.length; i++) {
    const gap = (timestamps[i] as number) - (timestamps[i - 1] as number);
    if (!(gap >= 0)) throw new RangeError(`frame ${i} is earlier than the one before it`);
    gaps.push(gap);
  }
  return gaps;
}

/**
 * Nearest-rank percentile: the smallest value with at least `p` % of the values at or
 * below it, so it is always a frame time that happened, never an interpolation.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile ${p} is not in (0, 100]`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}
