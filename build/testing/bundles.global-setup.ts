// Vitest global setup: builds, once per test run, the two programs the end-to-end tests
// start as child processes, each into one ES module:
// - the `coffer` CLI, from electron/cli/main.ts (the entry `npm run cli` runs);
// - the sync server, from sync-server/main.ts (the entry `npm run server` runs).
// The tests start hundreds of `coffer` processes and dozens of servers; under
// `node --import tsx` each one starts the TypeScript loader and compiles or looks up a few
// hundred files before main.ts runs, 1-2 s of CPU on two busy cores, where a bundle starts
// in plain Node. The code is the same: esbuild only strips types and joins the files. The
// server's bundle leaves out only native modules (they load from their own folders); the
// CLI's takes in just the few packages it loads on every start. Both are written inside the
// repository, where Node finds what they leave out in node_modules.
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

/**
 * The packages the server's bundle leaves in node_modules: native modules, which load their
 * binary from their own folder, and their optional helpers. Everything else the server
 * imports (Fastify, Ajv, pino, SimpleWebAuthn, pg, ...) joins its bundle: resolving and
 * compiling those files one by one was a quarter of every start, and the tests start
 * dozens of servers.
 */
const SERVER_EXTERNAL_PACKAGES = new Set([
  'better-sqlite3',
  'better-sqlite3-multiple-ciphers',
  'argon2',
  '@napi-rs/keyring',
  'pg-native',
  'bufferutil',
  'utf-8-validate',
]);

/** Which bare imports stay external: all but `inline`, or only those in `external`. */
type Keep = { inline: ReadonlySet<string> } | { external: ReadonlySet<string> };

function keepExternal(keep: Keep): Plugin {
  return {
    name: 'keep-external',
    setup(builder) {
      builder.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const parts = args.path.split('/');
        const name = (args.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]) ?? '';
        const external = 'inline' in keep ? !keep.inline.has(name) : keep.external.has(name);
        return external ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

async function bundle(entry: string, outfile: string, keep: Keep): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    plugins: [keepExternal(keep)],
    // An inlined CommonJS package (ws, Fastify) calls `require`, which an ES module has not got.
    banner: {
      js: "import { createRequire as __cofferRequire } from 'node:module';\nconst require = __cofferRequire(import.meta.url);",
    },
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
    bundle('electron/cli/main.ts', cli, { inline: CLI_INLINE_PACKAGES }),
    bundle('sync-server/main.ts', server, { external: SERVER_EXTERNAL_PACKAGES }),
  ]);
  project.provide('cofferCliBundle', cli);
  project.provide('cofferServerBundle', server);
  return () => rmSync(dir, { recursive: true, force: true });
}
