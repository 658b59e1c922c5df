// Playwright global setup: bundles the sync server the UI specs start (test-bundles.ts) and
// names it in COFFER_TEST_SERVER_BUNDLE, which the workers inherit and
// startSyncServerProcess runs. Returns the teardown that removes it.
import { rmSync } from 'node:fs';

import { bundleServer, newBundleDir } from './test-bundles.js';

export default async function setup(): Promise<() => void> {
  const dir = newBundleDir();
  process.env['COFFER_TEST_SERVER_BUNDLE'] = await bundleServer(dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
