/**
 * The real sync server for UI specs: one child process per worker (`npm run server`'s
 * main.ts, bundled once by playwright.global-setup.ts), 127.0.0.1 on an OS-picked port,
 * TLS 1.3 with the self-signed certificate it makes on first run, its data in a temporary
 * folder removed afterwards.
 */
import {
  startSyncServerProcess,
  type SyncServerProcess,
} from '../../../electron/core/sync/client/testing/sync-server-process.js';
import { test as webModeTest } from './web-mode.fixture.js';

export const test = webModeTest.extend<object, { syncServer: SyncServerProcess }>({
  syncServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a fixture needs from this pattern.
    async ({}, use) => {
      const server = await startSyncServerProcess();
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

export { expect } from '@playwright/test';
