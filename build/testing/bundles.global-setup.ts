// Vitest global setup: builds, once per test run, the two programs the end-to-end tests
// start as child processes, each into one ES module:
// - the `coffer` CLI, from electron/cli/main.ts (the entry `npm run cli` runs);
// - the sync server, from sync-server/main.ts (the entry `npm run server` runs).
// The tests start hundreds of `coffer` processes and dozens of servers; under
// `node --import tsx` each one starts the TypeScript loader and compiles or looks up a few
// hundred files before main.ts runs, 1-2 s of CPU on two busy cores, where a bundle starts
// in plain Node. The code is the same: esbuild only strips types and joins the files. npm
// packages stay outside the bundles (native modules must load from their own folders), so
// the bundles are written inside the repository, where Node finds them in node_modules.
// `npm run cli` and `npm run server` themselves are proven through tsx by build/install.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `coffer` CLI, to run with `node FILE ...args`. */
    cofferCliBundle: string;
    /** The bundled sync server, to run with `node FILE ...args`. */
    cofferServerBundle: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function bundle(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    logLevel: 'warning',
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'dist', 'test-bundles-'));
  // Readable by all, as the sources are: some tests run the CLI as another user.
  chmodSync(dir, 0o755);
  const cli = path.join(dir, 'coffer.mjs');
  // One folder down, as sync-server/main.ts is: the server reads its version from the
  // package.json beside its folder (sync-server/version.ts).
  const server = path.join(dir, 'sync-server', 'main.mjs');
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  await Promise.all([bundle('electron/cli/main.ts', cli), bundle('sync-server/main.ts', server)]);
  project.provide('cofferCliBundle', cli);
  project.provide('cofferServerBundle', server);
  return () => rmSync(dir, { recursive: true, force: true });
}
