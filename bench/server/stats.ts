/**
 * Latency statistics over raw samples (milliseconds, as measured, not bucketed).
 * Percentiles use the nearest-rank method: p99 of 100 samples is the 99th smallest, so a
 * reported p99 is always a latency some request really had.
 */

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1] as number;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

export function summarize(values: readonly number[]): LatencySummary {
  return {
    count: values.length,
    meanMs: mean(values),
    p50Ms: percentile(values, 50),
    p99Ms: percentile(values, 99),
    maxMs: Math.max(...values),
  };
}

/** "12.3" for notes: one decimal under 100, none above. */
export function formatNoteMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
