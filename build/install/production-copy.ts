import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * A production install of this checkout in another directory: the project's files and
 * `node_modules` copied over, then `npm prune --omit=dev`, which deletes every package
 * only a devDependency needs.
 *
 * Why a pruned copy and not `npm ci --omit=dev`: both end with the same tree, but npm ci
 * must rebuild the three native modules (better-sqlite3, better-sqlite3-multiple-ciphers,
 * argon2), and offline there are no prebuilt binaries to fetch. Measured on the 2-core CI
 * machine: `npm ci --omit=dev --offline` 4 min 50 s; copy + prune about 10 s. The binaries
 * the copy keeps are the ones this checkout built from the same lock file.
 */
export interface ProductionCopyTimings {
  copyMs: number;
  pruneMs: number;
}

/** Tracked and new files, as git lists them (ignored ones, node_modules included, left out). */
export function projectFiles(root: string): string[] {
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (listed.error !== undefined || listed.status !== 0) {
    throw new Error(
      `a production copy takes the files git knows, and git ls-files failed in ${root}: ` +
        (listed.error?.message ?? listed.stderr),
    );
  }
  return listed.stdout
    .split('\0')
    .filter((file) => file !== '' && !file.split('/').includes('node_modules'))
    .filter((file) => statSync(path.join(root, file), { throwIfNoEntry: false })?.isFile());
}

/**
 * The environment for commands run in the copy: the caller's, without what could make
 * Node or npm look back into this checkout: NODE_PATH, NODE_OPTIONS, the npm_* variables
 * and INIT_CWD that `npm test` sets, and the node_modules/.bin directories npx and npm
 * put on PATH (through them `npm run` would find this checkout's tsx).
 */
export function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'NODE_PATH' || name === 'NODE_OPTIONS' || name === 'INIT_CWD') continue;
    if (name.toLowerCase().startsWith('npm_')) continue;
    env[name] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => dir !== '' && !dir.split(path.sep).includes('node_modules'))
    .join(path.delimiter);
  return { ...env, ...extra };
}

export function makeProductionCopy(root: string, dest: string): ProductionCopyTimings {
  const started = performance.now();
  for (const file of projectFiles(root)) {
    mkdirSync(path.dirname(path.join(dest, file)), { recursive: true });
    copyFileSync(path.join(root, file), path.join(dest, file));
  }
  const installed = path.join(root, 'node_modules');
  if (!existsSync(installed)) throw new Error(`no node_modules in ${root}: run npm ci first`);
  // realpath: node_modules may be a symlink to a shared install; the copy gets a real one.
  cpSync(realpathSync(installed), path.join(dest, 'node_modules'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  const copied = performance.now();

  const prune = spawnSync(
    'npm',
    ['prune', '--omit=dev', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'],
    { cwd: dest, env: isolatedEnv(), encoding: 'utf8', timeout: 180_000 },
  );
  if (prune.error !== undefined || prune.status !== 0) {
    throw new Error(
      `npm prune --omit=dev failed (${prune.error?.message ?? `exit ${prune.status}`}):\n${prune.stderr}`,
    );
  }
  return { copyMs: copied - started, pruneMs: performance.now() - copied };
}

/** Directories from `dir`'s parent up to the root that hold a node_modules Node would search. */
export function ancestorNodeModules(dir: string): string[] {
  const found: string[] = [];
  for (let at = path.dirname(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'node_modules'))) found.push(path.join(at, 'node_modules'));
    if (path.dirname(at) === at) return found;
  }
}
