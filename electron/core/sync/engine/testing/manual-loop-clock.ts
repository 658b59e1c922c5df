import type { LoopTimers } from '../sync-loop.js';

export interface ManualLoopClock {
  timers: LoopTimers;
  now(): number;
  /** Moves time forward, firing each timer that falls due in order and letting its promises settle. */
  advance(ms: number): Promise<void>;
  /** Lets pending promise callbacks run without moving time. */
  settle(): Promise<void>;
  /** Timers waiting, as ms from now. */
  pending(): number[];
}

/** A clock and timers a test moves by hand: no decision of the loop waits on wall time. */
export function manualLoopClock(start = 1_000_000): ManualLoopClock {
  let now = start;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return {
    now: () => now,
    timers: {
      setTimeout: (fn, ms) => {
        const id = nextId++;
        due.set(id, { at: now + Math.max(0, ms), fn });
        return id;
      },
      clearTimeout: (handle) => {
        if (typeof handle === 'number') due.delete(handle);
      },
    },
    settle,
    async advance(ms) {
      const until = now + ms;
      await settle();
      for (;;) {
        let nextIdDue: number | undefined;
        let nextAt = Infinity;
        for (const [id, timer] of due) {
          if (timer.at <= until && timer.at < nextAt) {
            nextAt = timer.at;
            nextIdDue = id;
          }
        }
        if (nextIdDue === undefined) break;
        const timer = due.get(nextIdDue);
        due.delete(nextIdDue);
        now = nextAt;
        timer?.fn();
        await settle();
      }
      now = until;
    },
    pending: () => [...due.values()].map((timer) => timer.at - now).sort((a, b) => a - b),
  };
}
