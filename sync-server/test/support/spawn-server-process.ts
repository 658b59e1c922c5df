import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** sync-server/main.ts bundled once per run (build/testing/test-bundles.ts). */
    cofferServerBundle: string;
  }
}

const MAIN = fileURLToPath(new URL('../../main.ts', import.meta.url));
const REPO_ROOT = path.resolve(path.dirname(MAIN), '..');

export interface SpawnOptions {
  /** Passed as `--data-dir`; omit to give it in `args` or `env` yourself. */
  dataDir?: string;
  /** Further arguments (a command such as `rotate-master-key` goes first). */
  args?: string[];
  /** Added to a minimal environment (PATH, HOME); COFFER_SERVER_* of the test runner do not leak in. */
  env?: Record<string, string>;
  /**
   * How long to wait for `listening on` (or the exit). Default 60 s: this bounds a hang on
   * two busy cores, not speed. The server runs as the test run's global setup bundled
   * sync-server/main.ts (build/testing/test-bundles.ts).
   */
  timeoutMs?: number;
  /** RLIMIT_FSIZE in KiB: writes past it fail with EFBIG, as on a full disk. */
  fileSizeLimitKiB?: number;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** `https://HOST:PORT` from the `listening on` line. */
  url: string;
  port: number;
  /** 64 hex from `fingerprint: sha256:<hex>`. */
  fingerprint: string;
  /** From `redirecting http://HOST:PORT`, when `--http-port` was given. */
  httpUrl: string | undefined;
  /** stdout lines so far. */
  stdout: string[];
  stderr(): string;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ExitResult>;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Under Vitest, sync-server/main.ts as the run's global setup bundled it; elsewhere (the
 * bench) main.ts itself through tsx, as `npm run server` runs it.
 */
function serverEntry(): string[] {
  return process.env.VITEST === undefined
    ? ['--import', 'tsx', MAIN]
    : [inject('cofferServerBundle')];
}

function launch(options: SpawnOptions): ChildProcess {
  const args = [...(options.args ?? [])];
  if (options.dataDir !== undefined) args.push('--data-dir', options.dataDir);
  const node = [process.execPath, ...serverEntry(), ...args];
  // Bash sets the limit, then execs Node; SIGXFSZ is ignored so a write past the limit
  // fails with EFBIG instead of killing the process.
  const [command = process.execPath, ...commandArgs] =
    options.fileSizeLimitKiB === undefined
      ? node
      : [
          'bash',
          '-c',
          `trap '' XFSZ; ulimit -f ${options.fileSizeLimitKiB}; exec "$@"`,
          'coffer-server',
          ...node,
        ];
  const child = spawn(command, commandArgs, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      COFFER_SERVER_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function collect(child: ChildProcess): {
  stdout: string[];
  stderr: () => string;
  exited: Promise<ExitResult>;
  onLine(listener: (line: string) => void): void;
} {
  const stdout: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  let pending = '';
  let errText = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      stdout.push(line);
      for (const listener of listeners) listener(line);
      newline = pending.indexOf('\n');
    }
  });
  child.stderr?.on('data', (chunk: string) => {
    errText += chunk;
  });
  const exited = new Promise<ExitResult>((resolve) => {
    child.once('close', (code, signal) => {
      if (pending !== '') stdout.push(pending);
      resolve({ code, signal, stdout: stdout.join('\n'), stderr: errText });
    });
  });
  return { stdout, stderr: () => errText, exited, onLine: (l) => listeners.push(l) };
}

/**
 * Runs `main.ts` as a child process and resolves once it prints `listening on …`. Rejects
 * (with its output) if it exits or times out first; the child is then killed. Call
 * `stop()` at the end of the test — children still running when the test process exits
 * are killed regardless.
 */
export async function spawnServerProcess(options: SpawnOptions): Promise<ServerProcess> {
  const child = launch(options);
  const output = collect(child);
  const timeoutMs = options.timeoutMs ?? 60_000;

  const ready = await new Promise<{ url: string } | { failure: string }>((resolve) => {
    const timer = setTimeout(
      () => resolve({ failure: `no "listening on" within ${timeoutMs} ms` }),
      timeoutMs,
    );
    output.onLine((line) => {
      const match = /^listening on (https:\/\/\S+)$/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1] });
      }
    });
    void output.exited.then((result) => {
      clearTimeout(timer);
      resolve({ failure: `exited with ${result.code ?? result.signal}` });
    });
  });

  if ('failure' in ready) {
    child.kill('SIGKILL');
    const result = await output.exited;
    throw new Error(
      `server did not start: ${ready.failure}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }

  const fingerprintLine = output.stdout.find((line) => line.startsWith('fingerprint: sha256:'));
  const redirectLine = output.stdout.find((line) => line.startsWith('redirecting '));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<ExitResult> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const result = await output.exited;
      clearTimeout(timer);
      return result;
    }
    return output.exited;
  };
  return {
    child,
    pid: child.pid ?? -1,
    url: ready.url,
    port: Number(new URL(ready.url).port),
    fingerprint: fingerprintLine?.slice('fingerprint: sha256:'.length) ?? '',
    httpUrl: redirectLine?.slice('redirecting '.length),
    stdout: output.stdout,
    stderr: output.stderr,
    stop,
  };
}

/**
 * Runs `main.ts` to completion (a command such as rotate-master-key, or a start that must
 * fail) and returns its exit status and output. Killed after `timeoutMs`.
 */
export async function runServerCommand(options: SpawnOptions): Promise<ExitResult> {
  const child = launch(options);
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
  const result = await output.exited;
  clearTimeout(timer);
  return result;
}
