/**
 * Fires a callback on a fixed schedule (open loop): firing k happens at start + k·interval
 * whether or not earlier ones have finished, and a late timer catches up by firing every
 * overdue one at once — so the offered rate is exactly the one asked for, however slow
 * the server gets (no coordinated omission).
 */
import { performance } from 'node:perf_hooks';

/** Firings due `elapsedMs` after the start: the one at 0 plus one per whole interval. */
export function dueCount(elapsedMs: number, intervalMs: number): number {
  if (!(intervalMs > 0)) throw new RangeError('interval must be positive');
  if (elapsedMs < 0) return 0;
  return Math.floor(elapsedMs / intervalMs) + 1;
}

export interface PacedLoop {
  /** Stops firing; returns how many firings happened. */
  stop(): number;
}

export function startPacedLoop(
  intervalMs: number,
  fire: (index: number) => void,
  now: () => number = () => performance.now(),
): PacedLoop {
  const startedAt = now();
  let fired = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    if (stopped) return;
    const due = dueCount(now() - startedAt, intervalMs);
    while (fired < due && !stopped) fire(fired++);
    if (stopped) return;
    const nextAt = startedAt + fired * intervalMs;
    timer = setTimeout(tick, Math.max(0, nextAt - now()));
  };
  tick();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      return fired;
    },
  };
}
