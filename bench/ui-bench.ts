/**
 * The UI section: the built renderer in web mode (`startWebServer`, the same core the
 * desktop app runs) over two vaults made in this run, one with many transactions and a
 * 1k baseline, measured in Debian's Chromium. Rows: start to an interactive first screen,
 * and the ledger's scroll frame times, each beside the same with the 1k vault; and live sync,
 * a change saved on one device to its row in another device's open ledger.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { MemoryKeyStore } from '../electron/core/vault/memory.key-store.js';
import {
  buildRenderer,
  RENDERER_BUILD_DIR,
  rendererBuildIsStale,
} from '../electron/web/renderer-build.js';
import { startWebServer, type WebServer } from '../electron/web/web-server.js';
import { absoluteRow, type RowInput } from './report.js';
import {
  median,
  measureInterleaved,
  rotation,
  type Contender,
  type Measurement,
} from './timing.js';
import { CHROMIUM_PATH, launchChromium } from './ui/chromium.js';
import { closeVault, openFirstScreen, openVaultOnce, waitForScreen } from './ui/first-screen.js';
import { LEDGER_SCROLL, navigationTiming } from './ui/page-probes.js';
import {
  LEDGER_PATH,
  openLedger,
  recordApiFrames,
  scrollLedger,
  type LedgerScroll,
} from './ui/ledger-scroll.js';
import { measureLiveSync } from './ui/live-sync.js';
import { buildUiVault } from './ui/ui-vault.js';

export const UI_SECTION = 'ui';

export interface UiBenchConfig {
  /** Transactions in the measured vault. */
  transactions: number;
  /** Transactions in the baseline vault. */
  baselineTransactions: number;
  warmup: number;
  /** Timed starts per vault. */
  runs: number;
  /** Scrolls per vault. */
  scrollRuns: number;
  scrollMs: number;
  /** Pixels scrolled per animation frame: about 7,000 px/s at 60 frames a second. */
  scrollStepPx: number;
  /** Changes timed from one device's quick entry to the other's ledger, after warm-ups. */
  liveRuns: number;
  liveWarmup: number;
}

export const FULL_UI_CONFIG: UiBenchConfig = {
  transactions: 100_000,
  baselineTransactions: 1_000,
  warmup: 1,
  runs: 7,
  scrollRuns: 3,
  scrollMs: 3_000,
  scrollStepPx: 120,
  liveRuns: 100,
  liveWarmup: 3,
};
export const QUICK_UI_CONFIG: UiBenchConfig = {
  transactions: 10_000,
  baselineTransactions: 1_000,
  warmup: 0,
  runs: 3,
  scrollRuns: 1,
  scrollMs: 1_500,
  scrollStepPx: 120,
  liveRuns: 20,
  liveWarmup: 2,
};

/** Start to an interactive first screen with the large vault. */
export const FIRST_SCREEN_TARGET_MS = 1_500;
/** 95th percentile of the ledger's frame times while it scrolls. */
export const SCROLL_P95_TARGET_MS = 20;
/** The screens page their queries: the vault's size should barely show. */
export const SIZE_RATIO_TARGET = 1.2;
/** 99th percentile from a change saved on device A to its row in device B's open ledger. */
export const LIVE_SYNC_P99_TARGET_MS = 500;

export interface UiBenchOptions {
  config: UiBenchConfig;
  dataDir: string;
  log: (line: string) => void;
}

export interface UiBenchResult {
  rows: RowInput[];
  /** Rows that could not be measured, and why. */
  skipped: { name: string; reason: string }[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Tab {
  context: BrowserContext;
  page: Page;
  round: number;
  /** When the run found the screen interactive, on the page's clock. */
  interactiveAt: number;
}

interface Served {
  key: 'large' | 'small';
  transactions: number;
  server: WebServer;
}

export async function runUiBench(options: UiBenchOptions): Promise<UiBenchResult> {
  const { config, log } = options;
  const stale = rendererBuildIsStale(ROOT);
  if (stale !== null) {
    log(`ui: building the renderer first: ${stale}`);
    await buildRenderer(ROOT);
  }
  const scratch = path.join(options.dataDir, 'ui');
  fs.mkdirSync(scratch, { recursive: true });
  const keyStore = new MemoryKeyStore();
  const today = new Date().toISOString().slice(0, 10);
  const sizes = [
    { key: 'large', transactions: config.transactions, seed: 8_100 },
    { key: 'small', transactions: config.baselineTransactions, seed: 8_001 },
  ] as const;
  const served: Served[] = [];
  let browser: Browser | null = null;
  try {
    for (const size of sizes) {
      const vaultDir = path.join(scratch, `vault-${size.transactions}`);
      const started = performance.now();
      await buildUiVault({
        dir: vaultDir,
        keyStore,
        transactions: size.transactions,
        today,
        seed: size.seed,
      });
      log(`ui: made a ${short(size.transactions)}-transaction vault in ${seconds(started)} s`);
      const server = await startWebServer({
        vaultDir,
        keyStore,
        rendererDir: path.join(ROOT, RENDERER_BUILD_DIR),
        onInternalError: (error) =>
          log(`ui: web mode error: ${error instanceof Error ? error.message : 'unknown'}`),
      });
      served.push({ key: size.key, transactions: size.transactions, server });
    }
    browser = await launchChromium();
    log(`ui: ${CHROMIUM_PATH} ${browser.version()}; load average ${loadAverage()}`);
    for (const { transactions, server } of served) {
      const screen = await openVaultOnce(browser, server.url);
      log(`ui: ${short(transactions)} vault opened; its first screen is "${screen}"`);
    }
    const rows = await firstScreenRows(browser, served, config, log);
    rows.push(await coldStartRow(browser, served, config, log));
    const scroll = await scrollRows(browser, served, config, log);
    const live = await liveSyncRows(browser, config, scratch, log);
    log(`ui: done; load average ${loadAverage()}`);
    return { rows: [...rows, ...scroll.rows, ...live], skipped: scroll.skipped };
  } finally {
    await browser?.close();
    for (const { server } of served) await server.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

interface StartRuns {
  large: Measurement;
  small: Measurement;
  screen: string;
  /** Per vault, what each timed run's page said about where its time went. */
  phases: Map<string, StartPhases[]>;
  load: string;
}

/** One start, on the page's clock (ms from the navigation's start). */
interface StartPhases {
  responseEnd: number;
  domContentLoaded: number;
  interactive: number;
}

/**
 * Times starts of both vaults, taking turns, each in a fresh browser context. With
 * `closed`, the vault is closed through `/api` before each run (untimed) and the run
 * presses "Open vault"; the last run leaves it open.
 */
async function measureStarts(
  browser: Browser,
  served: readonly Served[],
  options: { warmup: number; runs: number; closed: boolean; label: string },
  log: (line: string) => void,
): Promise<StartRuns> {
  const load = loadAverage();
  const screens = new Map<string, string>();
  const phases = new Map<string, StartPhases[]>(served.map(({ key }) => [key, []]));
  const contenders: Contender<Tab>[] = served.map(({ key, server }) => ({
    key,
    prepare: async (round) => {
      if (options.closed) await closeVault(server);
      const context = await browser.newContext();
      return { context, page: await context.newPage(), round, interactiveAt: 0 };
    },
    run: async (tab) => {
      const shown = await openFirstScreen(tab.page, server.url, { openVault: options.closed });
      screens.set(key, shown.screen);
      tab.interactiveAt = shown.interactiveAt;
    },
    cleanup: async (tab) => {
      if (tab.round >= options.warmup && tab.interactiveAt > 0) {
        const nav = await tab.page.evaluate(navigationTiming);
        phases.get(key)?.push({ ...nav, interactive: tab.interactiveAt });
      }
      await tab.context.close();
    },
  }));
  const measured = await measureInterleaved(contenders, {
    warmup: options.warmup,
    runs: options.runs,
    onRun: (key, round, ms) =>
      log(`ui: ${options.label}, ${key} vault, run ${round + 1}: ${ms.toFixed(0)} ms`),
  });
  const large = measured.get('large');
  const small = measured.get('small');
  const screen = screens.get('large');
  if (large === undefined || small === undefined || screen === undefined) {
    throw new Error(`ui: the ${options.label} runs did not all report`);
  }
  if (screens.get('small') !== screen) {
    throw new Error(
      `ui: the two vaults open on different screens (${screen} / ${screens.get('small')})`,
    );
  }
  return { large, small, screen, phases, load };
}

async function firstScreenRows(
  browser: Browser,
  served: readonly Served[],
  config: UiBenchConfig,
  log: (line: string) => void,
): Promise<RowInput[]> {
  const runs = await measureStarts(
    browser,
    served,
    { warmup: config.warmup, runs: config.runs, closed: false, label: 'first screen' },
    log,
  );
  const name = `start to interactive first screen ("${runs.screen}"), ${short(config.transactions)} vault`;
  const notes =
    `web mode on 127.0.0.1, a fresh browser context each run (no cookie, no cache): from page.goto of the printed address (token, 303, cookie) until #main's h1 is visible with no progress bar left in #main and a navigation link takes focus; vault already opened by an earlier visit; medians of ${config.runs} runs each, taking turns; ` +
    `${describeStarts(config.transactions, runs.large, runs.phases.get('large'))}; ${describeStarts(config.baselineTransactions, runs.small, runs.phases.get('small'))}; load average ${runs.load} when it started`;
  return [
    {
      name,
      ours_ms: runs.large.medianMs,
      baseline: `the same, ${short(config.baselineTransactions)} vault`,
      baseline_ms: runs.small.medianMs,
      target: SIZE_RATIO_TARGET,
      notes,
    },
    absoluteRow(name, runs.large.medianMs, FIRST_SCREEN_TARGET_MS),
  ];
}

/**
 * The same start with the vault closed, as web mode starts: the first-run screen, its
 * "Open vault" pressed as soon as it shows, the core opening the vault, then the app.
 */
async function coldStartRow(
  browser: Browser,
  served: readonly Served[],
  config: UiBenchConfig,
  log: (line: string) => void,
): Promise<RowInput> {
  const runs = await measureStarts(
    browser,
    served,
    { warmup: 0, runs: config.runs, closed: true, label: 'start with the vault closed' },
    log,
  );
  return {
    name: `start with the vault closed, "Open vault" pressed, to the same screen, ${short(config.transactions)} vault`,
    ours_ms: runs.large.medianMs,
    baseline: `the same, ${short(config.baselineTransactions)} vault`,
    baseline_ms: runs.small.medianMs,
    target: 'informational',
    notes:
      `as the first row, but the vault closed through /api before each run, as web mode starts: the timer runs through the first-run screen, the press of "Open vault" as soon as it can be pressed (no human delay), the core's openVault (key store, SQLCipher key, migrations check) and the first screen; medians of ${config.runs} runs each, taking turns; ` +
      `${describeStarts(config.transactions, runs.large, runs.phases.get('large'))}; ${describeStarts(config.baselineTransactions, runs.small, runs.phases.get('small'))}; load average ${runs.load} when it started`,
  };
}

/** The runs, and the medians of where their time went on the page's clock. */
function describeStarts(
  transactions: number,
  measured: Measurement,
  phases: readonly StartPhases[] = [],
): string {
  const runs = `${short(transactions)}: runs ${samples(measured.samplesMs)} ms`;
  if (phases.length === 0) return runs;
  const at = (pick: (p: StartPhases) => number): string => median(phases.map(pick)).toFixed(0);
  return `${runs}, page clock medians: HTML in at ${at((p) => p.responseEnd)} ms, script run (DOMContentLoaded) at ${at((p) => p.domContentLoaded)} ms, interactive at ${at((p) => p.interactive)} ms`;
}

async function scrollRows(
  browser: Browser,
  served: readonly Served[],
  config: UiBenchConfig,
  log: (line: string) => void,
): Promise<UiBenchResult> {
  const load = loadAverage();
  const name = `ledger scroll frame time p95, ${short(config.transactions)} vault`;
  const results = new Map<string, LedgerScroll[]>(served.map(({ key }) => [key, []]));
  for (let round = 0; round < config.scrollRuns; round++) {
    for (const { key, transactions, server } of rotation(served, round)) {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const frames = recordApiFrames(page);
        await page.goto(server.url, { waitUntil: 'commit' });
        await waitForScreen(page);
        if (!(await openLedger(page))) {
          const reason = `no ledger screen yet: nothing at ${LEDGER_PATH} shows a scrollable ${LEDGER_SCROLL}`;
          log(`ui: ledger scroll skipped: ${reason}`);
          return { rows: [], skipped: [{ name, reason }] };
        }
        const scroll = await scrollLedger(page, frames, {
          durationMs: config.scrollMs,
          stepPx: config.scrollStepPx,
        });
        log(
          `ui: ledger scroll, ${short(transactions)} vault, run ${round + 1}: p95 ${scroll.p95Ms.toFixed(1)} ms over ${scroll.frames} frames, ${scroll.distancePx} px, ${scroll.fetches.calls} transactions calls`,
        );
        results.get(key)?.push(scroll);
      } finally {
        await context.close();
      }
    }
  }
  const large = results.get('large') ?? [];
  const small = results.get('small') ?? [];
  const largeP95 = median(large.map((s) => s.p95Ms));
  const smallP95 = median(small.map((s) => s.p95Ms));
  const notes =
    `${LEDGER_PATH} in a fresh context, its list (${LEDGER_SCROLL}) scrolled ${config.scrollStepPx} px every animation frame for ${config.scrollMs / 1000} s from inside the page (turning at either end), frame intervals from requestAnimationFrame timestamps; median of ${config.scrollRuns} runs' p95 each; ` +
    `${describeScrolls(config.transactions, large)}; ${describeScrolls(config.baselineTransactions, small)}; load average ${load} when it started`;
  return {
    rows: [
      {
        name,
        ours_ms: largeP95,
        baseline: `the same, ${short(config.baselineTransactions)} vault`,
        baseline_ms: smallP95,
        target: SIZE_RATIO_TARGET,
        notes,
      },
      absoluteRow(name, largeP95, SCROLL_P95_TARGET_MS),
    ],
    skipped: [],
  };
}

async function liveSyncRows(
  browser: Browser,
  config: UiBenchConfig,
  scratch: string,
  log: (line: string) => void,
): Promise<RowInput[]> {
  const load = loadAverage();
  const live = await measureLiveSync(
    browser,
    {
      runs: config.liveRuns,
      warmup: config.liveWarmup,
      scratch,
      rendererDir: path.join(ROOT, RENDERER_BUILD_DIR),
    },
    log,
  );
  const name = "live sync: change saved on device A to its row in device B's open ledger, p99";
  const notes =
    `two web-mode servers on two vaults of one account and workspace, the real sync server on 127.0.0.1 (TLS 1.3, pinned), one Chromium context each; from the Enter in A's quick entry (Node's clock) to a MutationObserver in B's page finding the row (same machine clock): A's commit, push, the server's WebSocket announcement, B's pull and apply, sync.applied, B's refetch and render; ` +
    `${config.liveRuns} runs after ${config.liveWarmup} warm-ups, one at a time, each saved as soon as the one before arrived (no pause: several changes a second, all under the account's one request allowance); p50 ${live.p50Ms.toFixed(0)} ms, p99 ${live.p99Ms.toFixed(0)} ms, max ${Math.max(...live.latenciesMs).toFixed(0)} ms; load average ${load} when it started`;
  return [absoluteRow(name, live.p99Ms, LIVE_SYNC_P99_TARGET_MS, notes)];
}

function describeScrolls(transactions: number, scrolls: readonly LedgerScroll[]): string {
  const parts = scrolls.map(
    (s) =>
      `p95 ${s.p95Ms.toFixed(1)} ms over ${s.frames} frames, ${s.distancePx} px of ${s.scrollHeight}, ${s.fetches.calls} transactions calls fetching ${s.fetches.rows} rows`,
  );
  return `${short(transactions)}: ${parts.join(' | ')}`;
}

function samples(values: readonly number[]): string {
  return values.map((ms) => ms.toFixed(0)).join('/');
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
}

function seconds(started: number): string {
  return ((performance.now() - started) / 1000).toFixed(1);
}

function short(n: number): string {
  return n >= 1000 ? `${n / 1000}k` : String(n);
}
