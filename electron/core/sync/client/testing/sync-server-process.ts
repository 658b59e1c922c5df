import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** sync-server/main.ts bundled once per run (build/testing/test-bundles.ts). */
    cofferServerBundle: string;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));

export interface SyncServerProcess {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** `sha256:<64 hex>` as the server printed it. */
  fingerprint: string;
  dataDir: string;
  /** Stops the server (SIGTERM) and keeps its data: `start` brings it back on the same port. */
  halt(): Promise<void>;
  /** Starts it again after `halt`, on the same data, key and port. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Where a new server finds the same files and port (`startSyncServerProcess(_, at)`, a restore test). */
  at: { root: string; port: number };
}

/**
 * The real sync server (`npm run server`) in a child process: a fresh data dir, 127.0.0.1,
 * an OS-picked port, TLS 1.3 with the self-signed certificate it makes on first run.
 * Resolves once it prints `listening on`. It runs sync-server/main.ts as the test run's global
 * setup bundled it; the bound is generous (it bounds a hang on a busy machine, not speed).
 */
export async function startSyncServerProcess(
  timeoutMs = 90_000,
  at?: { root: string; port: number },
  /** More server flags, e.g. `--webauthn-origin` for a spec's web-mode origin. */
  extraArgs: readonly string[] = [],
): Promise<SyncServerProcess> {
  const root = at?.root ?? (await mkdtemp(path.join(tmpdir(), 'coffer-sync-server-')));
  const dataDir = path.join(root, 'data');
  let running: { child: ChildProcess; url: string; fingerprint: string };
  try {
    running = await spawnServer(root, dataDir, at?.port ?? 0, timeoutMs, {}, extraArgs);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const port = Number(new URL(running.url).port);
  return {
    url: running.url,
    fingerprint: running.fingerprint,
    dataDir,
    halt: () => stopChild(running.child),
    start: async () => {
      running = await spawnServer(root, dataDir, port, timeoutMs, {}, extraArgs);
    },
    stop: async () => {
      await stopChild(running.child);
      await rm(root, { recursive: true, force: true });
    },
    at: { root, port },
  };
}

function serverEntry(): string[] {
  if (process.env.VITEST !== undefined) return [inject('cofferServerBundle')];
  const bundled = process.env['COFFER_TEST_SERVER_BUNDLE'];
  if (bundled !== undefined) return [bundled];
  return ['--import', 'tsx', path.join(REPO_ROOT, 'sync-server', 'main.ts')];
}

/** A server process's environment: nothing of the test run's but PATH and HOME. */
function serverEnv(keyFile: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    COFFER_SERVER_KEY_FILE: keyFile,
  };
}

/**
 * `npm run server -- <command> ...` (backup, restore, mark-restored) run to its end, the same
 * program the server processes here run, with the master key in `keyFile`. Resolves with its
 * stdout; rejects with its stderr unless it exits 0.
 */
export function runServerCommand(args: readonly string[], keyFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...serverEntry(), ...args], {
      cwd: REPO_ROOT,
      env: serverEnv(keyFile),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited ${code}: ${err}`)),
    );
  });
}

/** How a test wants the server's output: its log level, and every chunk it writes. */
export interface ServerOutputOptions {
  logLevel?: string;
  onOutput?: (chunk: string) => void;
}

/**
 * Starts one server process on `dataDir` (master key in `root`) and resolves once it
 * listens. Shared by the helpers here and restartable-sync-server.ts.
 */
export async function spawnServer(
  root: string,
  dataDir: string,
  port: number,
  timeoutMs: number,
  output: ServerOutputOptions = {},
  extraArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; url: string; fingerprint: string }> {
  const child = spawn(
    process.execPath,
    [
      // Under Vitest and Playwright the run's bundle of sync-server/main.ts
      // (build/testing/test-bundles.ts); elsewhere (the bench) main.ts through tsx.
      ...serverEntry(),
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      ...extraArgs,
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...serverEnv(path.join(root, 'master-key')),
        COFFER_SERVER_LOG_LEVEL: output.logLevel ?? 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: string[] = [];
  let errText = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    errText += chunk;
    output.onOutput?.(chunk);
  });
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "listening on" in ${timeoutMs} ms`)),
      timeoutMs,
    );
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output.onOutput?.(chunk);
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const match = /^listening on (https:\/\/\S+)$/.exec(line);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${errText}`));
    });
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  const fingerprint = lines.find((line) => line.startsWith('fingerprint: '))?.slice(13) ?? '';
  return { child, url: ready, fingerprint };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
