/**
 * The ledger's scroll: open `#/transactions`, wait for its virtualised list
 * (`[data-testid=ledger-scroll]`), then scroll it from inside the page a fixed distance
 * every animation frame while the page records when each frame started. The WebSocket
 * frames of `/api` during the scroll tell how many ledger pages it fetched.
 */
import type { Page } from '@playwright/test';
import { countLedgerFetches, type LedgerFetches } from './ledger-fetches.js';
import { frameIntervals, percentile } from './frame-stats.js';
import { LEDGER_SCROLL, probeLedger, scrollAndRecord } from './page-probes.js';
import { SCREEN_TIMEOUT_MS, waitForScreen } from './first-screen.js';

export const LEDGER_PATH = '#/transactions';

export interface ScrollSettings {
  durationMs: number;
  stepPx: number;
}

export interface LedgerScroll {
  p95Ms: number;
  frames: number;
  distancePx: number;
  turns: number;
  scrollHeight: number;
  fetches: LedgerFetches;
}

/** Records the `/api` frames a page sends and receives, from before it connects. */
export function recordApiFrames(page: Page): { sent: string[]; received: string[] } {
  const frames = { sent: [] as string[], received: [] as string[] };
  page.on('websocket', (socket) => {
    if (!socket.url().endsWith('/api')) return;
    socket.on('framesent', ({ payload }) => {
      if (typeof payload === 'string') frames.sent.push(payload);
    });
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') frames.received.push(payload);
    });
  });
  return frames;
}

/** How long a settled screen without the list, or a path with no screen, counts as "no ledger". */
const NO_LEDGER_AFTER_MS = 3_000;
const POLL_MS = 100;

/**
 * Goes to the ledger in a page whose first screen is shown and waits until its list can
 * scroll. False when the app has no ledger screen there: no `#main` under that path, or a
 * settled screen without the list, for three seconds.
 */
export async function openLedger(page: Page): Promise<boolean> {
  await page.evaluate(`location.hash = ${JSON.stringify(LEDGER_PATH)}`);
  const deadline = Date.now() + SCREEN_TIMEOUT_MS;
  let missingSince: number | null = null;
  while (Date.now() < deadline) {
    const probe = await page.evaluate(probeLedger);
    if (probe.scrollable) {
      await waitForScreen(page);
      return true;
    }
    if (!probe.main || probe.settled) {
      missingSince ??= Date.now();
      if (Date.now() - missingSince >= NO_LEDGER_AFTER_MS) return false;
    } else {
      missingSince = null;
    }
    await page.waitForTimeout(POLL_MS);
  }
  throw new Error(`${LEDGER_PATH} did not settle within ${SCREEN_TIMEOUT_MS / 1000} s`);
}

export async function scrollLedger(
  page: Page,
  frames: { sent: string[]; received: string[] },
  settings: ScrollSettings,
): Promise<LedgerScroll> {
  const sentBefore = frames.sent.length;
  const receivedBefore = frames.received.length;
  const recording = await page.evaluate(scrollAndRecord, {
    selector: LEDGER_SCROLL,
    durationMs: settings.durationMs,
    stepPx: settings.stepPx,
  });
  // Answers to calls made during the scroll may land just after it.
  await page.waitForTimeout(500);
  const intervals = frameIntervals(recording.frames);
  return {
    p95Ms: percentile(intervals, 95),
    frames: intervals.length,
    distancePx: recording.distancePx,
    turns: recording.turns,
    scrollHeight: recording.scrollHeight,
    fetches: countLedgerFetches(
      frames.sent.slice(sentBefore),
      frames.received.slice(receivedBefore),
    ),
  };
}
