import { vi } from 'vitest';

import type { IntervalTimers } from '../../audit/audit.prune.js';

export type ManualTimers = IntervalTimers & { fire(): void; ms: number; unref: () => void };

/** Interval timers for the prune jobs that the test fires by hand. */
export function manualTimers(): ManualTimers {
  let callback: (() => void) | undefined;
  const handle = { unref: vi.fn() };
  return {
    ms: 0,
    unref: handle.unref,
    setInterval(fn, ms) {
      callback = fn;
      this.ms = ms;
      return handle;
    },
    clearInterval: () => {
      callback = undefined;
    },
    fire: () => callback?.(),
  };
}
