import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The crash tests' child programs, bundled once per run (build/testing/test-bundles.ts). */
    cofferChildBundles: Record<string, string>;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The Node arguments that run `file`, a TypeScript program of this repository, as a child
 * process: the test run's bundle of it under Vitest (CHILD_ENTRIES in
 * build/testing/test-bundles.ts), else the file through tsx. The code is the same; the bundle
 * only starts without the TypeScript loader.
 */
export function tsEntryArgs(file: string): string[] {
  if (process.env['VITEST'] !== undefined) {
    const entry = path.relative(REPO_ROOT, file).split(path.sep).join('/');
    const bundle = inject('cofferChildBundles')[entry];
    if (bundle === undefined) {
      throw new Error(`${entry} is not bundled for the tests: add it to CHILD_ENTRIES`);
    }
    return [bundle];
  }
  return ['--import', 'tsx', file];
}
