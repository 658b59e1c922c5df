// Vitest global setup: builds, once per test run, the CLI and the sync server the end-to-end
// tests start as child processes (test-bundles.ts), and removes them after the run.
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

import { bundleCli, bundleServer, newBundleDir } from './test-bundles.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `coffer` CLI, to run with `node FILE ...args`. */
    cofferCliBundle: string;
    /** The bundled sync server, to run with `node FILE ...args`. */
    cofferServerBundle: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = newBundleDir();
  const [cli, server] = await Promise.all([bundleCli(dir), bundleServer(dir)]);
  project.provide('cofferCliBundle', cli);
  project.provide('cofferServerBundle', server);
  return () => rmSync(dir, { recursive: true, force: true });
}
