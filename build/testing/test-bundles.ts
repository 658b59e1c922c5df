// The two programs the end-to-end tests start as child processes, each bundled into one ES
// module (Vitest's global setup builds both; Playwright's only the server):
// - the `coffer` CLI, from electron/cli/main.ts (the entry `npm run cli` runs);
// - the sync server, from sync-server/main.ts (the entry `npm run server` runs).
// The tests start hundreds of `coffer` processes and dozens of servers; under
// `node --import tsx` each one starts the TypeScript loader and compiles or looks up a few
// hundred files before main.ts runs, 1-2 s of CPU on two busy cores, where a bundle starts
// in plain Node. The code is the same: esbuild only strips types and joins the files, with
// one exception, below (Argon2's cost). The server's bundle leaves out only native modules
// (they load from their own folders); the CLI's takes in just the few packages it loads on
// every start. Both are written inside the repository, where Node finds what they leave out
// in node_modules.
// `npm run cli` and `npm run server` themselves are proven through tsx by build/install.
// The bench bundles a third: the fresh device of its first-sync rows, which stands for the
// desktop app's core process (bundleLikeAppCore).
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

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

/**
 * The server's default Argon2 cost (64 MiB, three passes: a third of a second of CPU per
 * password) is, in the test servers, the cheap one the in-process suites start theirs with
 * (sync-server/test/support/fast-argon2.ts). Every sign-up, sign-in and password
 * step-up of hundreds in the suite paid it, and none of them tests the cost: the default is
 * proven in-process (accounts-password-hashing.test.ts, security-constants.test.ts) and by
 * `npm run server` itself (build/install).
 */
const ARGON2_PARAMS = path.join(ROOT, 'sync-server', 'accounts', 'argon2-params.ts');
const TEST_ARGON2_PARAMS = path.join(ROOT, 'build', 'testing', 'test-argon2-params.ts');

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

/** Puts the test Argon2 parameters in place of the defaults; the build fails if it never did. */
function testArgon2Params(): Plugin {
  return {
    name: 'test-argon2-params',
    setup(builder) {
      let swapped = false;
      builder.onResolve({ filter: /argon2-params\.js$/ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        if (target !== ARGON2_PARAMS) return undefined;
        swapped = true;
        return { path: TEST_ARGON2_PARAMS };
      });
      builder.onEnd((result) => {
        if (result.errors.length === 0 && !swapped) {
          throw new Error(`test bundle: nothing imported ${ARGON2_PARAMS} to replace`);
        }
      });
    },
  };
}

async function bundle(entry: string, outfile: string, plugins: Plugin[]): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    plugins,
    // An inlined CommonJS package (ws, Fastify) calls `require`, which an ES module has not got.
    banner: {
      js: "import { createRequire as __cofferRequire } from 'node:module';\nconst require = __cofferRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

/** A new folder under dist/ for one run's bundles, readable by all (some tests run as another user). */
export function newBundleDir(): string {
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'dist', 'test-bundles-'));
  chmodSync(dir, 0o755);
  return dir;
}

/** Bundles the CLI into `dir`; returns the file to run with `node FILE ...args`. */
export async function bundleCli(dir: string): Promise<string> {
  const cli = path.join(dir, 'coffer.mjs');
  await bundle('electron/cli/main.ts', cli, [keepExternal({ inline: CLI_INLINE_PACKAGES })]);
  return cli;
}

/** Bundles the sync server into `dir`; returns the file to run with `node FILE ...args`. */
export async function bundleServer(dir: string): Promise<string> {
  // One folder down, as sync-server/main.ts is: the server reads its version from the
  // package.json beside its folder (sync-server/version.ts).
  const server = path.join(dir, 'sync-server', 'main.mjs');
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  await bundle('sync-server/main.ts', server, [
    testArgon2Params(),
    keepExternal({ external: SERVER_EXTERNAL_PACKAGES }),
  ]);
  return server;
}

/**
 * The TypeScript programs crash and keychain tests run as child processes, one or two dozen
 * times a run each. Through `node --import tsx` each start cost about 0.9 s of CPU (the
 * loader, and every file looked up); bundled, about 0.35 s. Paths are relative to the
 * repository; electron/core/testing/ts-entry.ts picks the bundle under Vitest.
 */
export const CHILD_ENTRIES: readonly string[] = [
  'electron/core/vault/test-fixtures/keychain-child.ts',
  'electron/core/vault/test-fixtures/vault-holder.child.ts',
  'electron/core/sync/snapshot/test-fixtures/bulk-load.child.ts',
  'electron/core/sync/test-fixtures/record-then-crash.child.ts',
  'electron/web/main.ts',
];

/** Bundles each of CHILD_ENTRIES into `dir` as the app's core is bundled; entry → bundle. */
export async function bundleChildEntries(dir: string): Promise<Record<string, string>> {
  const bundles: Record<string, string> = {};
  await Promise.all(
    CHILD_ENTRIES.map(async (entry) => {
      const outfile = path.join(dir, 'children', entry.replace(/\.ts$/, '.mjs'));
      await bundleLikeAppCore(entry, outfile);
      bundles[entry] = outfile;
    }),
  );
  return bundles;
}

/**
 * Bundles `entry` (relative to the repository) into `outfile` as the desktop app's build makes
 * its core process (electron.vite.config.ts): types stripped and the project's files joined,
 * every npm package left in node_modules (`externalizeDeps`), and no function renamed or
 * wrapped. `outfile` must be inside the repository, where Node finds those packages.
 */
export async function bundleLikeAppCore(entry: string, outfile: string): Promise<void> {
  await bundle(entry, outfile, [keepExternal({ inline: new Set() })]);
}
