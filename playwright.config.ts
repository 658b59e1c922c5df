// Playwright: the UI specs under renderer/e2e, in Debian's Chromium (never a downloaded
// browser), against web mode started by the fixture in renderer/e2e/support. `npm test`
// runs it under with-keyring.sh, so the vaults the specs create keep their keys in a
// throwaway keyring, and reads the JSON report for its summary line.
import { defineConfig } from '@playwright/test';

const CHROMIUM = process.env['COFFER_CHROMIUM'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'renderer/e2e',
  // The sync server the specs start, bundled once (build/testing/test-bundles.ts).
  globalSetup: './build/testing/playwright.global-setup.ts',
  outputDir: 'test-results',
  forbidOnly: process.env['CI'] !== undefined,
  retries: 0,
  // Two specs at a time: much of a spec is waiting (sync rounds, the server, a poll), and no
  // spec measures time (speed is `npm run bench`). Each worker has its own sync server and
  // web-mode servers, each spec its own accounts and vaults, so they share nothing.
  workers: 2,
  timeout: 60_000,
  reporter: [
    ['list'],
    // PLAYWRIGHT_JSON_OUTPUT_FILE (set by test.sh) overrides the file.
    ['json', { outputFile: 'test-results/playwright-report.json' }],
  ],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    // Recording a trace for every test, to keep only a failure's, cost about a third of the UI
    // run's CPU (three specs: 128-139 CPU-s with it, 88-94 without), Chromium capturing and
    // encoding a screencast and DOM snapshots at every step. A failure still reports its call
    // log and screenshot; `npx playwright test --trace on SPEC` records one when needed.
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'web', testIgnore: 'electron/**' },
    // The desktop app's specs drive Electron itself (`_electron`), not a browser; each
    // says why it did not run where there is no Electron binary.
    { name: 'electron', testMatch: 'electron/**/*.spec.ts' },
  ],
});
