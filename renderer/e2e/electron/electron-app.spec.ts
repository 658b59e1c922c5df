/**
 * The desktop app, end to end, in a real Electron window: it opens on app://coffer/, the
 * page has no Node and sees only window.coffer, the CSP arrives as a header, the core in
 * its utility process answers over the MessagePort, and the first-run screen shows for a
 * folder with no vault. Where no Electron binary can be had (the download is skipped, or
 * there is no display) it is skipped and says why; web-mode specs cover the screens there.
 *
 * Run: npx playwright test renderer/e2e/electron/electron-app.spec.ts
 * (its own Playwright project; it builds dist/app and dist/renderer first when missing).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import type { CofferApi } from '../../../shared/api/coffer-api.js';
import { CONTENT_SECURITY_POLICY } from '../../../shared/app/content-security-policy.js';
import { electronBinary } from '../../../build/scripts/electron-available.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const found = electronBinary({ root: ROOT });

const SKIP_REASON = found.ok ? '' : `no Electron binary here: ${found.reason}`;
// The list reporter shows a skipped test as a bare dash; say why where people look.
if (!found.ok && process.env['TEST_WORKER_INDEX'] === undefined) {
  console.log(`electron-app.spec.ts did not run: ${SKIP_REASON}`);
}
test.skip(!found.ok, SKIP_REASON);

function buildIfMissing(output: string, script: string): void {
  if (fs.existsSync(path.join(ROOT, output))) return;
  const result = spawnSync('npm', ['run', script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm run ${script} failed`);
}

let app: ElectronApplication;
let vaultDir: string;

test.beforeAll(async () => {
  if (!found.ok) return;
  buildIfMissing('dist/app/main/main.js', 'build:app');
  buildIfMissing('dist/renderer/index.html', 'build:renderer');
  vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-electron-e2e-'));
  app = await electron.launch({
    executablePath: found.path,
    args: [ROOT],
    cwd: ROOT,
    env: { ...(process.env as Record<string, string>), COFFER_VAULT: vaultDir },
  });
});

test.afterAll(async () => {
  await app?.close();
  if (vaultDir !== undefined) fs.rmSync(vaultDir, { recursive: true, force: true });
});

test('the window opens on app://coffer, isolated, and shows first run', async () => {
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  expect(page.url()).toMatch(/^app:\/\/coffer\//);

  // The page itself: no Node, no Electron, one API object with the shared table's groups.
  const surface = await page.evaluate(() => {
    const scope = globalThis as unknown as Record<string, unknown>;
    return {
      require: typeof scope['require'],
      process: typeof scope['process'],
      electron: typeof scope['electron'],
      ipcRenderer: typeof scope['ipcRenderer'],
      coffer: Object.keys((scope['coffer'] as object | undefined) ?? {}).sort(),
    };
  });
  expect(surface).toMatchObject({
    require: 'undefined',
    process: 'undefined',
    electron: 'undefined',
    ipcRenderer: 'undefined',
  });
  expect(surface.coffer).toContain('app');

  // The CSP is a response header of the app protocol.
  const csp = await page.evaluate(() =>
    fetch('app://coffer/index.html').then((response) =>
      response.headers.get('content-security-policy'),
    ),
  );
  expect(csp).toBe(CONTENT_SECURITY_POLICY);

  // The core answers through the MessagePort: a new folder, no vault yet, on the desktop.
  const status = await page.evaluate(() =>
    (globalThis as unknown as { coffer: CofferApi }).coffer.app.status({}),
  );
  expect(status).toMatchObject({ vault: 'missing', host: 'desktop', vaultDir });

  // The main process made the window with the hardened preferences.
  const preferences = await app.evaluate(({ BrowserWindow }) => {
    const [window] = BrowserWindow.getAllWindows();
    const contents = window?.webContents as unknown as {
      getLastWebPreferences?: () => Record<string, unknown> | null;
    };
    return contents.getLastWebPreferences?.() ?? null;
  });
  if (preferences !== null) {
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  }

  // First run: the screen offers to create a vault.
  await expect(page.getByRole('button', { name: /create/i }).first()).toBeVisible();
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'electron-first-run.png') });
});
