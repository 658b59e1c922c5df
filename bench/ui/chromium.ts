/**
 * The browser the UI section measures in: Debian's Chromium (never a downloaded one),
 * with the flags the Playwright specs use (playwright.config.ts).
 */
import { chromium, type Browser } from '@playwright/test';

export const CHROMIUM_PATH = process.env['COFFER_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}
