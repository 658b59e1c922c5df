// Vitest global setup: builds, once per test run, the CLI, the sync server and the crash
// tests' child programs, which the tests start as child processes (test-bundles.ts), and
// removes them after the run.
import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

import { bundleChildEntries, bundleCli, bundleServer, newBundleDir } from './test-bundles.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `coffer` CLI, to run with `node FILE ...args`. */
    cofferCliBundle: string;
    /** The bundled sync server, to run with `node FILE ...args`. */
    cofferServerBundle: string;
    /** CHILD_ENTRIES (repository-relative) → its bundle, to run with `node FILE ...args`. */
    cofferChildBundles: Record<string, string>;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = newBundleDir();
  const [cli, server, children] = await Promise.all([
    bundleCli(dir),
    bundleServer(dir),
    bundleChildEntries(dir),
  ]);
  project.provide('cofferCliBundle', cli);
  project.provide('cofferServerBundle', server);
  project.provide('cofferChildBundles', children);
  return () => rmSync(dir, { recursive: true, force: true });
}
