import { useEffect } from 'react';
import { coffer } from '../api/coffer-client.js';

/** How often, at most, the window tells the core the user is still there. */
const PING_EVERY_MS = 30_000;

/**
 * Typing, pointing and scrolling count as activity for the app lock's idle timer, even
 * when they save nothing; the core hears of it at most every 30 seconds.
 */
export function useActivityPing(enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    const onActivity = () => {
      const now = Date.now();
      if (now - last < PING_EVERY_MS) return;
      last = now;
      coffer()
        .lock.activity({})
        .catch(() => null);
    };
    const events = ['keydown', 'pointerdown', 'wheel', 'pointermove'] as const;
    for (const name of events) window.addEventListener(name, onActivity, { passive: true });
    return () => {
      for (const name of events) window.removeEventListener(name, onActivity);
    };
  }, [enabled]);
}
