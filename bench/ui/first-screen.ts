/**
 * Start to an interactive first screen: a fresh browser context (no cookie, no cache)
 * opens the address web mode printed, and the clock stops when the screen `#/` leads to
 * has its heading visible, no progress bar left in `#main`, and a link of the app's
 * navigation takes keyboard focus.
 */
import type { Browser, Page } from '@playwright/test';
import { openApiSocket, signIn } from '../../electron/web/testing/web-client.js';
import type { WebServer } from '../../electron/web/web-server.js';
import { APP_NAV, navFocus, settledScreen } from './page-probes.js';
import { screenState } from './screen-readiness.js';

export const SCREEN_TIMEOUT_MS = 60_000;

/**
 * Waits for the screen `#main` shows to settle; fails on an error, and on a first-run or
 * lock screen unless `opening` (then it waits past them for the app).
 */
export async function waitForScreen(page: Page, opening = false): Promise<string> {
  const handle = await page.waitForFunction(settledScreen, opening, {
    polling: 'raf',
    timeout: SCREEN_TIMEOUT_MS,
  });
  const state = screenState(await handle.jsonValue());
  await handle.dispose();
  if (state.kind !== 'shown') {
    throw new Error(state.kind === 'failed' ? state.reason : 'the screen never settled');
  }
  return state.screen;
}

/**
 * Opens `url` in `page` and returns once the first screen is interactive, with its
 * heading and when, on the page's clock, it was found interactive. The caller times it. With `openVault`, the vault is closed: the first-run
 * screen's "Open vault" is pressed as soon as it can be.
 */
export async function openFirstScreen(
  page: Page,
  url: string,
  options: { openVault?: boolean } = {},
): Promise<{ screen: string; interactiveAt: number }> {
  await page.goto(url, { waitUntil: 'commit' });
  if (options.openVault === true) {
    await page.getByRole('button', { name: 'Open vault' }).click({ timeout: SCREEN_TIMEOUT_MS });
  }
  const screen = await waitForScreen(page, options.openVault === true);
  await page.locator(`${APP_NAV} a`).first().focus();
  const focus = await page.evaluate(navFocus);
  if (!focus.focused) {
    throw new Error(`"${screen}" is shown but its navigation does not take focus`);
  }
  return { screen, interactiveAt: focus.at };
}

/** Closes the vault of a web-mode server through its own `/api`, as a page would. */
export async function closeVault(server: WebServer): Promise<void> {
  const cookie = await signIn(server.port, server.url);
  const socket = await openApiSocket(server.port, {
    cookie,
    origin: `http://localhost:${server.port}`,
  });
  try {
    const result = await socket.call(1, 'app', 'closeVault', {});
    if (!result.ok) throw new Error(`closeVault refused: ${result.error.code}`);
  } finally {
    socket.close();
  }
}

/**
 * The first visit of a server: opens the vault the way a user does (the "Open vault"
 * button), so later visits find it open. Not timed.
 */
export async function openVaultOnce(browser: Browser, url: string): Promise<string> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('button', { name: 'Open vault' }).click();
    return await waitForScreen(page, true);
  } finally {
    await context.close();
  }
}
