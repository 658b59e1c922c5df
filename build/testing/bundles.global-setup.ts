// Vitest global setup: builds, once per test run, the two programs the end-to-end tests
// start as child processes, each into one ES module:
// - the `coffer` CLI, from electron/cli/main.ts (the entry `npm run cli` runs);
// - the sync server, from sync-server/main.ts (the entry `npm run server` runs).
// The tests start hundreds of `coffer` processes and dozens of servers; under
// `node --import tsx` each one starts the TypeScript loader and compiles or looks up a few
// hundred files before main.ts runs, 1-2 s of CPU on two busy cores, where a bundle starts
// in plain Node. The code is the same: esbuild only strips types and joins the files. npm
// packages stay outside the bundles (native modules must load from their own folders) but
// for a few pure-JavaScript ones the CLI loads on every start, so the bundles are written
// inside the repository, where Node finds the rest in node_modules.
// `npm run cli` and `npm run server` themselves are proven through tsx by build/install.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
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

/**
 * Pure-JavaScript packages the CLI loads on every start, joined into its bundle: Node's
 * loader resolves, reads and compiles each of their files one by one (zod alone is about a
 * hundred), which cost a `coffer` process more than a tenth of a second of its half second.
 * Everything else stays in node_modules: native modules, and packages that read their own
 * files at run time.
 */
const CLI_INLINE_PACKAGES = new Set(['zod', 'ws']);

/** Keeps every bare import external except the packages named, which join the bundle. */
function externalExcept(inline: ReadonlySet<string>): Plugin {
  return {
    name: 'external-except',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        const parts = args.path.split('/');
        const name = args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
        return name !== undefined && inline.has(name)
          ? undefined
          : { path: args.path, external: true };
      });
    },
  };
}

async function bundle(
  entry: string,
  outfile: string,
  inline: ReadonlySet<string> = new Set(),
): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    plugins: [externalExcept(inline)],
    // An inlined CommonJS package (ws) calls `require`, which an ES module has not got.
    ...(inline.size === 0
      ? {}
      : {
          banner: {
            js: "import { createRequire as __cofferRequire } from 'node:module';\nconst require = __cofferRequire(import.meta.url);",
          },
        }),
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
  await Promise.all([
    bundle('electron/cli/main.ts', cli, CLI_INLINE_PACKAGES),
    bundle('sync-server/main.ts', server),
  ]);
  project.provide('cofferCliBundle', cli);
  project.provide('cofferServerBundle', server);
  return () => rmSync(dir, { recursive: true, force: true });
}
