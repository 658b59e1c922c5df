/**
 * Timing method shared by every section: untimed warm-up rounds, then N timed rounds in
 * which the contenders take turns in a rotating order (so none always runs first, right
 * after a GC or a cold cache), and the median of each contender's rounds.
 */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/**
 * Order of the contenders in round `round`: a rotation, so over n rounds each contender
 * runs in each position equally often.
 */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const shift = ((round % n) + n) % n;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * One contender: `prepare` (untimed) builds what `run` (timed) needs; `cleanup` is untimed.
 * `prepare` is told the round (warm-ups included, from 0), so a row can vary its input per
 * round — the same sequence for every contender.
 */
export interface Contender<C = unknown> {
  key: string;
  // Method syntax on purpose: contenders with different contexts share one array.
  prepare?(round: number): Promise<C> | C;
  run(context: C): unknown;
  cleanup?(context: C): Promise<void> | void;
}

export interface MeasureOptions {
  warmup: number;
  runs: number;
  /** Called after each timed run, e.g. to show progress. */
  onRun?: (key: string, round: number, ms: number) => void;
}

export interface Measurement {
  medianMs: number;
  samplesMs: number[];
}

export async function measureInterleaved(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<Map<string, Measurement>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.key, []]));
  const total = options.warmup + options.runs;
  for (let round = 0; round < total; round++) {
    for (const contender of rotation(contenders, round)) {
      const ms = await timeOnce(contender, round);
      if (round >= options.warmup) {
        samples.get(contender.key)?.push(ms);
        options.onRun?.(contender.key, round - options.warmup, ms);
      }
    }
  }
  const result = new Map<string, Measurement>();
  for (const [key, values] of samples) {
    result.set(key, { medianMs: median(values), samplesMs: values });
  }
  return result;
}

async function timeOnce<C>(contender: Contender<C>, round: number): Promise<number> {
  const context = (contender.prepare ? await contender.prepare(round) : undefined) as C;
  try {
    const started = performance.now();
    await contender.run(context);
    return performance.now() - started;
  } finally {
    await contender.cleanup?.(context);
  }
}
