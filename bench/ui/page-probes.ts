/**
 * Functions Playwright runs inside the page. Each is sent as its source text, so each
 * stands alone: no imports, no closures, and no named functions inside (tsx would wrap
 * them in a `__name` helper the page does not have). The DOM is declared here, in this
 * module only, with just what these functions touch: the bench's tsconfig has no DOM lib.
 */
import type { ScreenProbe } from './screen-readiness.js';

interface PageElement {
  textContent: string | null;
  scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
  checkVisibility(): boolean;
  matches(selector: string): boolean;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  readonly activeElement: PageElement | null;
};
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare const performance: {
  now(): number;
  getEntriesByType(type: 'navigation'): { responseEnd: number; domContentLoadedEventEnd: number }[];
};

export const APP_NAV = 'nav[aria-label="Main"]';
/**
 * The ledger's scroll container: `ledger-scroll` was the name agreed for it, and the
 * ledger as built calls its scrolling grid `ledger-grid`; either will do.
 */
export const LEDGER_SCROLL = '[data-testid="ledger-scroll"], [data-testid="ledger-grid"]';

/** What `#main` shows now (see screen-readiness.ts for what the bench makes of it). */
export const probeScreen = (): ScreenProbe => {
  const main = document.querySelector('#main');
  const h1 = main?.querySelector('h1') ?? null;
  return {
    h1: h1?.textContent ?? null,
    h1Visible: h1 !== null && h1.checkVisibility(),
    busy: main === null ? 0 : main.querySelectorAll('[role="progressbar"]').length,
    alerts:
      main === null
        ? []
        : Array.from(main.querySelectorAll('[role="alert"]'), (el) => el.textContent ?? '')
            .map((text) => text.trim())
            .filter((text) => text !== ''),
    nav: document.querySelector('nav[aria-label="Main"]') !== null,
  };
};

/**
 * `probeScreen`, but null while the screen is still coming (`screenState` would say
 * "waiting"), for `page.waitForFunction` to check on every animation frame. With
 * `appOnly`, a screen without the app's navigation (first run, lock) counts as still
 * coming: the vault is being opened.
 */
export const settledScreen = (appOnly: boolean): ScreenProbe | null => {
  const main = document.querySelector('#main');
  const h1 = main?.querySelector('h1') ?? null;
  const alerts =
    main === null
      ? []
      : Array.from(main.querySelectorAll('[role="alert"]'), (el) => el.textContent ?? '')
          .map((text) => text.trim())
          .filter((text) => text !== '');
  const busy = main === null ? 0 : main.querySelectorAll('[role="progressbar"]').length;
  const h1Visible = h1 !== null && h1.checkVisibility();
  const heading = (h1?.textContent ?? '').trim();
  const nav = document.querySelector('nav[aria-label="Main"]') !== null;
  const settled =
    alerts.length > 0 || (h1Visible && heading !== '' && busy === 0 && (nav || !appOnly));
  if (!settled) return null;
  return { h1: h1?.textContent ?? null, h1Visible, busy, alerts, nav };
};

export interface LedgerProbe {
  /** `#main` is there: the app routed the path to a screen. */
  main: boolean;
  /** Its heading is visible and no progress bar is left in it. */
  settled: boolean;
  /** The ledger's list is there and taller than its box. */
  scrollable: boolean;
}

export const probeLedger = (): LedgerProbe => {
  const main = document.querySelector('#main');
  const h1 = main?.querySelector('h1') ?? null;
  const box = document.querySelector('[data-testid="ledger-scroll"], [data-testid="ledger-grid"]');
  return {
    main: main !== null,
    settled:
      main !== null &&
      h1 !== null &&
      h1.checkVisibility() &&
      main.querySelectorAll('[role="progressbar"]').length === 0,
    scrollable: box !== null && box.scrollHeight > box.clientHeight,
  };
};

/** Where a start's time went, in ms from the navigation's start (the page's clock). */
export interface NavigationTiming {
  /** The HTML has arrived (after the token's redirect). */
  responseEnd: number;
  /** The app's script has run. */
  domContentLoaded: number;
}

export const navigationTiming = (): NavigationTiming => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    responseEnd: nav?.responseEnd ?? 0,
    domContentLoaded: nav?.domContentLoadedEventEnd ?? 0,
  };
};

/** Whether keyboard focus is on a link of the app's navigation, and when it was checked. */
export const navFocus = (): { focused: boolean; at: number } => ({
  focused: document.activeElement?.matches('nav[aria-label="Main"] a') ?? false,
  at: performance.now(),
});

export interface ScrollRecording {
  /** `requestAnimationFrame` timestamps (ms), the first taken before any scrolling. */
  frames: number[];
  /** Pixels actually scrolled, both directions added. */
  distancePx: number;
  /** Times the scroll hit an end and turned round. */
  turns: number;
  scrollHeight: number;
  clientHeight: number;
}

/**
 * Scrolls `selector` by `stepPx` every animation frame for `durationMs`, turning round at
 * either end, and records when each frame started.
 */
export const scrollAndRecord = async (args: {
  selector: string;
  durationMs: number;
  stepPx: number;
}): Promise<ScrollRecording> => {
  const box = document.querySelector(args.selector);
  if (box === null) throw new Error(`nothing matches ${args.selector}`);
  const frames: number[] = [];
  const first = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
  frames.push(first);
  let now = first;
  let direction = 1;
  let distancePx = 0;
  let turns = 0;
  while (now - first < args.durationMs) {
    const before = box.scrollTop;
    box.scrollTop = before + direction * args.stepPx;
    const moved = Math.abs(box.scrollTop - before);
    if (moved === 0) {
      direction = -direction;
      turns += 1;
    }
    distancePx += moved;
    now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    frames.push(now);
  }
  return {
    frames,
    distancePx,
    turns,
    scrollHeight: box.scrollHeight,
    clientHeight: box.clientHeight,
  };
};
