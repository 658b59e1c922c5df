/**
 * Live sync as a person sees it: two devices (two web-mode servers on two vaults of one
 * account and workspace) against the real sync server on 127.0.0.1, device B's ledger open
 * in one browser context, a transaction typed into device A's quick entry in another. A run
 * is from the Enter that saves it on A to its row appearing in B's ledger, with no reload:
 * A's commit, its loop's push, the server's WebSocket announcement, B's pull and apply, the
 * `sync.applied` event, and B's ledger refetching and rendering.
 */
import * as path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { parseFingerprint } from '../../electron/core/sync/client/pinned-agent.js';
import { startSyncServerProcess } from '../../electron/core/sync/client/testing/sync-server-process.js';
import { SyncAccountService } from '../../electron/core/sync/sync-account.service.js';
import { AccountService } from '../../electron/core/ledger/account.service.js';
import { MemoryKeyStore } from '../../electron/core/vault/memory.key-store.js';
import { createVault } from '../../electron/core/vault/vault.js';
import { startWebServer, type WebServer } from '../../electron/web/web-server.js';
import { percentile } from './frame-stats.js';
import { openVaultOnce, waitForScreen } from './first-screen.js';
import { LEDGER_ROW, rowShownAt } from './live-probe.js';

export interface LiveSyncRuns {
  latenciesMs: number[];
  p50Ms: number;
  p99Ms: number;
}

const PASSWORD = 'copper lantern harbour 64';

export async function measureLiveSync(
  browser: Browser,
  options: { runs: number; warmup: number; scratch: string; rendererDir: string },
  log: (line: string) => void,
): Promise<LiveSyncRuns> {
  const server = await startSyncServerProcess();
  const keyStore = new MemoryKeyStore();
  const webServers: WebServer[] = [];
  const contexts: { close(): Promise<void> }[] = [];
  try {
    const target = { serverUrl: server.url, fingerprint: parseFingerprint(server.fingerprint) };
    const email = `live-${process.pid}-${Date.now()}@example.test`;
    const dirs = {
      a: path.join(options.scratch, 'live-a'),
      b: path.join(options.scratch, 'live-b'),
    };
    const a = await createVault({ dir: dirs.a, keyStore });
    try {
      const account = new SyncAccountService({ vault: a, keyStore, deviceName: 'Bench A' });
      const { recoveryKey } = await account.register(target, { email, password: PASSWORD });
      await account.createWorkspace('Bench');
      new AccountService(a).create({
        name: 'Checking',
        currency: 'EUR',
        kind: 'checking',
        openingBalanceMinor: 0,
      });
      const b = await createVault({ dir: dirs.b, keyStore });
      try {
        await new SyncAccountService({ vault: b, keyStore, deviceName: 'Bench B' }).login(target, {
          email,
          password: PASSWORD,
          recoveryKey,
        });
      } finally {
        b.close();
      }
    } finally {
      a.close();
    }
    const pages: Page[] = [];
    for (const dir of [dirs.a, dirs.b]) {
      const web = await startWebServer({
        vaultDir: dir,
        keyStore,
        rendererDir: options.rendererDir,
      });
      webServers.push(web);
      await openVaultOnce(browser, web.url);
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(web.url, { waitUntil: 'commit' });
      await waitForScreen(page);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Transactions' })
        .click();
      await page.getByRole('heading', { name: 'Transactions', level: 1 }).waitFor();
      pages.push(page);
    }
    const [pageA, pageB] = pages as [Page, Page];
    const quick = (label: string) =>
      pageA.getByTestId('quick-entry').getByLabel(label, { exact: true });
    const today = new Date().toISOString().slice(0, 10);
    const latenciesMs: number[] = [];
    for (let run = 0; run < options.warmup + options.runs; run++) {
      const notes = `live run ${run} ${Date.now()}`;
      // B watches its own ledger from inside the page: the instant the row is in the DOM.
      const seen = pageB.evaluate(rowShownAt, { text: notes, selector: LEDGER_ROW });
      await quick('Date').fill(today);
      await quick('Payee').fill('Harbour Cafe');
      await quick('Amount').fill(`-${(run % 90) + 10}.00`);
      await quick('Notes').fill(notes);
      const savedAt = Date.now();
      await quick('Notes').press('Enter');
      const shownAt = await withTimeout(seen, 30_000, `run ${run}: the row never reached B`);
      if (run >= options.warmup) latenciesMs.push(shownAt - savedAt);
      log(
        `ui: live sync run ${run + 1}${run < options.warmup ? ' (warm-up)' : ''}: ${shownAt - savedAt} ms`,
      );
    }
    return {
      latenciesMs,
      p50Ms: percentile(latenciesMs, 50),
      p99Ms: percentile(latenciesMs, 99),
    };
  } finally {
    for (const context of contexts) await context.close();
    for (const web of webServers) await web.close();
    await server.stop();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
