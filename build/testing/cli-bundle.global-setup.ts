// Vitest global setup: builds the `coffer` CLI once per test run, from electron/cli/main.ts
// (the entry `npm run cli` runs), into one ES module. The CLI's end-to-end tests start
// hundreds of `coffer` processes; under `node --import tsx` each one starts the TypeScript
// loader and compiles or looks up a few hundred files before main.ts runs, 1-2 s on two
// busy cores, where the bundle starts in plain Node. The code is the same: esbuild only
// strips types and joins the files. npm packages stay outside the bundle (native modules
// must load from their own folders), so the bundle is written inside the repository,
// where Node finds them in node_modules.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `coffer` CLI, to run with `node FILE ...args`. */
    cofferCliBundle: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export default async function setup(project: TestProject): Promise<() => void> {
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'dist', 'test-cli-'));
  // Readable by all, as the sources are: some tests run the CLI as another user.
  chmodSync(dir, 0o755);
  const outfile = path.join(dir, 'coffer.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'electron/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    packages: 'external',
    logLevel: 'warning',
  });
  project.provide('cofferCliBundle', outfile);
  return () => rmSync(dir, { recursive: true, force: true });
}
