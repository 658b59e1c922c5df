import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { KeychainKeyStore } from '../../electron/core/vault/keychain.key-store.js';
import {
  SYNC_SERVER_UNIT,
  readUnitFile,
  serviceCommand,
  unitValue,
} from '../systemd/systemd-unit.js';
import { ancestorNodeModules, isolatedEnv, makeProductionCopy } from './production-copy.js';
import { runtimeImports } from './runtime-imports.js';

/**
 * A production install (devDependencies pruned away, in a directory of its own) runs the
 * sync server over TLS and the `coffer` command line, through the same `npm run` scripts
 * the README gives. The copy is made once for the file (about 10 s; see production-copy.ts
 * for why it is not `npm ci`).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let work: string;
let app: string;
beforeAll(() => {
  work = realpathSync(mkdtempSync(path.join(tmpdir(), 'coffer-production-')));
  app = path.join(work, 'app');
  const timings = makeProductionCopy(ROOT, app);
  console.info(
    `production copy: files + node_modules ${Math.round(timings.copyMs)} ms, ` +
      `npm prune --omit=dev ${Math.round(timings.pruneMs)} ms`,
  );
}, 240_000);
afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
interface LockEntry {
  dev?: boolean;
}

describe('production install', { timeout: 120_000 }, () => {
  it('holds no dev-only package, and cannot reach back into the checkout', () => {
    const manifest = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')) as Manifest;
    const lock = JSON.parse(readFileSync(path.join(app, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const devOnly = Object.keys(manifest.devDependencies).filter(
      (name) => lock.packages[`node_modules/${name}`]?.dev === true,
    );
    expect(devOnly).toEqual(expect.arrayContaining(['vitest', 'typescript', 'fast-check']));
    const installed = devOnly.filter((name) => installedIn(app, name));
    expect(installed, 'pruned devDependencies still present').toEqual([]);
    for (const name of Object.keys(manifest.dependencies)) {
      expect(installedIn(app, name), name).toBe(true);
    }

    // Node looks for packages in node_modules of every parent directory, and in NODE_PATH.
    expect(ancestorNodeModules(app)).toEqual([]);
    const env = isolatedEnv();
    expect(env.NODE_PATH).toBeUndefined();
    expect(env.PATH?.split(path.delimiter).filter((dir) => dir.includes('node_modules'))).toEqual(
      [],
    );
    expect(lstatSync(path.join(app, 'node_modules')).isSymbolicLink()).toBe(false);
    const outside = symlinksLeaving(path.join(app, 'node_modules'), app);
    expect(outside, 'symlinks in node_modules that point out of the copy').toEqual([]);
  });

  it('resolves every package the server and the CLI import to a file inside the copy', () => {
    const { specifiers, problems } = runtimeImports(app, [
      'sync-server/main.ts',
      'electron/cli/main.ts',
    ]);
    expect(problems).toEqual([]);
    expect(specifiers).toEqual(expect.arrayContaining(['better-sqlite3', 'fastify', 'zod']));
    // import.meta.resolve applies the same "import" conditions the running code does.
    const resolved = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        'for (const s of JSON.parse(process.argv[1])) console.log(import.meta.resolve(s));',
        JSON.stringify(specifiers),
      ],
      { cwd: path.join(app, 'sync-server'), env: isolatedEnv(), encoding: 'utf8' },
    );
    expect(resolved.stderr).toBe('');
    const files = resolved.stdout
      .trim()
      .split('\n')
      .map((url) => fileURLToPath(url));
    expect(files).toHaveLength(specifiers.length);
    for (const file of files) expect(file.startsWith(`${app}${path.sep}`), file).toBe(true);
  });

  it('starts the sync server with `npm run server` (TLS 1.3, listening on, /v1/health)', async () => {
    const dataDir = path.join(work, 'server-data');
    const server = await startServer(['--data-dir', dataDir, '--port', '0']);
    try {
      const health = await getOverTls(
        `${server.url}/v1/health`,
        readFileSync(path.join(dataDir, 'tls', 'server.crt'), 'utf8'),
      );
      expect(health.protocol).toBe('TLSv1.3');
      expect(health.status).toBe(200);
      expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    } finally {
      await server.stop();
    }
  });

  it('serves through the shipped systemd unit’s command and stops on its stop signal with 0', async () => {
    // What systemd does with the unit, here: the install directory and state directory
    // are the copy and a temp folder (mode 0700, as StateDirectoryMode makes it), and the
    // environment file gives the port.
    const unit = readUnitFile(SYNC_SERVER_UNIT);
    const state = mkdtempSync(path.join(work, 'state-'));
    const place = (word: string): string =>
      word.replace('/opt/coffer', app).replace('/var/lib/coffer-sync', state);
    const { argv, env } = serviceCommand(unit);
    const [command, ...args] = argv.map(place);
    const child = spawn(command as string, args, {
      cwd: place(unitValue(unit, 'Service', 'WorkingDirectory')),
      env: isolatedEnv({ ...env, COFFER_SERVER_PORT: '0', COFFER_SERVER_LOG_LEVEL: 'warn' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      const url = await listeningUrl(child);
      const health = await getOverTls(
        `${url}/v1/health`,
        readFileSync(path.join(state, 'data', 'tls', 'server.crt'), 'utf8'),
      );
      expect(health.status).toBe(200);
      expect(lstatSync(path.join(state, 'master-key')).mode & 0o077).toBe(0);
    } finally {
      child.kill(unitValue(unit, 'Service', 'KillSignal') as NodeJS.Signals);
    }
    expect(await exited).toBe(0);
  });

  it(
    'runs `coffer init`, `account add` and `status` with `npm run cli`, key in the keychain',
    { tags: ['secret-service'] },
    async () => {
      const vault = path.join(work, 'vault');
      const init = await cli(['--vault', vault, '--json', 'init']);
      const created = JSON.parse(init) as { vaultId: string; keyStore: string };
      try {
        expect(created.keyStore).toBe('keychain');
        await cli(['--vault', vault, 'account', 'add', '--name', 'Checking', '--currency', 'USD']);
        const status = JSON.parse(await cli(['--vault', vault, '--json', 'status'])) as {
          vaultId: string;
          cipher: string;
          counts: { accounts: number };
        };
        expect(status).toMatchObject({
          vaultId: created.vaultId,
          cipher: 'SQLCipher 4 (AES-256)',
          counts: { accounts: 1 },
        });
      } finally {
        const keychain = new KeychainKeyStore();
        await keychain.delete(created.vaultId);
        await keychain.delete(created.vaultId, 'next');
      }
    },
  );
});

function installedIn(dir: string, name: string): boolean {
  return lstatSync(path.join(dir, 'node_modules', name), { throwIfNoEntry: false }) !== undefined;
}

/** Symlinks under `dir` whose target lies outside `root`. */
function symlinksLeaving(dir: string, root: string): string[] {
  const leaving: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = path.join(entry.parentPath, entry.name);
    const target = realpathSync(link);
    if (!target.startsWith(`${root}${path.sep}`)) leaving.push(`${link} -> ${target}`);
  }
  return leaving;
}

/** `npm run --silent cli -- ARGS` in the copy; resolves with stdout, rejects on failure. */
function cli(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'cli', '--', ...args], {
      cwd: app,
      env: isolatedEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`coffer ${args.join(' ')} exited ${code}:\n${stderr}`));
    });
  });
}

interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * `npm run server -- ARGS` in the copy, in a process group of its own so that stopping it
 * reaches npm, tsx and the server alike (as Ctrl+C in a terminal would).
 */
function startServer(args: string[]): Promise<RunningServer> {
  const child = spawn('npm', ['run', '--silent', 'server', '--', ...args], {
    cwd: app,
    env: isolatedEnv({ COFFER_SERVER_LOG_LEVEL: 'warn' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    let output = '';
    let stderr = '';
    const timer = setTimeout(() => {
      reject(new Error(`no "listening on" within 60 s:\n${output}\n${stderr}`));
      void stop();
    }, 60_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const listening = /^listening on (https:\/\/\S+)$/m.exec(output);
      if (listening?.[1] === undefined) return;
      clearTimeout(timer);
      resolve({ url: listening[1], stop });
    });
    child.once('error', reject);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before listening:\n${output}\n${stderr}`));
    });
  });
}

/** Resolves with the URL of the `listening on` line; rejects when the process exits first. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const listening = /^listening on (https:\/\/\S+)$/m.exec(output);
      if (listening?.[1] !== undefined) resolve(listening[1]);
    });
    child.once('error', reject);
    child.once('close', (code) =>
      reject(new Error(`the server exited (${code}) before listening:\n${output}\n${stderr}`)),
    );
  });
}

/** Signals the whole group: npm may be gone while the server it started is still up. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function getOverTls(
  url: string,
  ca: string,
): Promise<{ status: number; body: string; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, minVersion: 'TLSv1.3' }, (response) => {
      let body = '';
      const protocol = (response.socket as TLSSocket).getProtocol();
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, protocol }));
    });
    request.on('error', reject);
  });
}
