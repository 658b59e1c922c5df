/**
 * A fresh web-mode server for each test: a new vault folder, the real OS keychain (the
 * specs run under with-keyring.sh, so keys land in a throwaway keyring), the renderer's
 * build, and the printed address with its token. Closed, and its keychain entries
 * deleted, after the test.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { test as base, type Browser, type Page } from '@playwright/test';

import { KeychainKeyStore } from '../../../electron/core/vault/keychain.key-store.js';
import {
  readVaultManifest,
  VAULT_MANIFEST_FILE,
} from '../../../electron/core/vault/vault-files.js';
import { startWebServer } from '../../../electron/web/web-server.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

export interface WebMode {
  /** The address web mode prints: `http://localhost:PORT/?token=…`. */
  url: string;
  /** `http://localhost:PORT`, without the token. */
  origin: string;
  port: number;
  vaultDir: string;
}

/** The renderer build to serve: COFFER_E2E_RENDERER_DIR, else dist/renderer. */
export function e2eRendererDir(): string {
  const dir = process.env['COFFER_E2E_RENDERER_DIR'] ?? path.join(REPO_ROOT, 'dist', 'renderer');
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(
      `No renderer build in ${dir}: run \`npx vite build --config renderer/vite.config.ts\` first ` +
        '(npm test does), or point COFFER_E2E_RENDERER_DIR at one.',
    );
  }
  return dir;
}

/**
 * Runs `use` with a fresh web-mode server of its own (vault folder, keychain entries),
 * closed and cleaned up afterwards; a spec that needs a second device opens one more.
 */
export async function withWebMode(use: (webMode: WebMode) => Promise<void>): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-e2e-'));
  const vaultDir = path.join(root, 'vault');
  const keyStore = new KeychainKeyStore();
  const server = await startWebServer({ vaultDir, keyStore, rendererDir: e2eRendererDir() });
  try {
    await use({
      url: server.url,
      origin: `http://localhost:${server.port}`,
      port: server.port,
      vaultDir,
    });
  } finally {
    await server.close();
    if (existsSync(path.join(vaultDir, VAULT_MANIFEST_FILE))) {
      const { vaultId } = readVaultManifest(vaultDir);
      await keyStore.delete(vaultId, 'current');
      await keyStore.delete(vaultId, 'next');
    }
    await rm(root, { recursive: true, force: true });
  }
}

/**
 * Another device: a second browser context on a web-mode server of its own (withWebMode),
 * its page already at the printed address. The context is closed afterwards.
 */
export async function withDevice(
  browser: Browser,
  use: (page: Page, device: WebMode) => Promise<void>,
): Promise<void> {
  await withWebMode(async (device) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(device.url);
      await use(page, device);
    } finally {
      await context.close();
    }
  });
}

export const test = base.extend<{ webMode: WebMode }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern.
  webMode: async ({}, use) => withWebMode(use),
});

export { expect } from '@playwright/test';
