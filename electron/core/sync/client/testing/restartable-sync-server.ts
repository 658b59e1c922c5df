import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServer } from './sync-server-process.js';

export interface RestartableSyncServer {
  /** `https://127.0.0.1:PORT`; the same port after every restart. */
  readonly url: string;
  /** `sha256:<64 hex>`: the certificate lives in the data dir, so a restart keeps it. */
  readonly fingerprint: string;
  readonly dataDir: string;
  /** Everything every run of the server wrote to stdout and stderr, in order. */
  output(): string;
  /** Sends `signal` (SIGKILL: no shutdown hook runs) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same data dir, master key and port. */
  restart(): Promise<void>;
  /** Stops the server (if running) and deletes its data dir and master key. */
  stop(): Promise<void>;
}

/**
 * The real sync server (`sync-server/main.ts`) as a child process that a test can kill and
 * start again on the same files, as a crash and a restart by the operator would. 127.0.0.1,
 * TLS 1.3, an OS-picked port on the first start and that port after. `logLevel` (default
 * `warn`) is what the server logs on stderr, all of it kept for `output()`.
 */
export async function startRestartableSyncServer(
  options: { logLevel?: string; timeoutMs?: number } = {},
): Promise<RestartableSyncServer> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-sync-restart-'));
  const dataDir = path.join(root, 'data');
  const timeoutMs = options.timeoutMs ?? 90_000;
  let text = '';
  let child: ChildProcess | undefined;

  const launch = async (port: number): Promise<{ url: string; fingerprint: string }> => {
    const started = await spawnServer(root, dataDir, port, timeoutMs, {
      logLevel: options.logLevel ?? 'warn',
      onOutput: (chunk) => (text += chunk),
    });
    child = started.child;
    return { url: started.url, fingerprint: started.fingerprint };
  };

  const killChild = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  let first: { url: string; fingerprint: string };
  try {
    first = await launch(0);
  } catch (error) {
    await killChild('SIGKILL');
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  const port = Number(new URL(first.url).port);
  return {
    url: first.url,
    fingerprint: first.fingerprint,
    dataDir,
    output: () => text,
    kill: (signal = 'SIGKILL') => killChild(signal),
    restart: async () => {
      await killChild('SIGTERM');
      const again = await launch(port);
      if (again.fingerprint !== first.fingerprint) {
        throw new Error('the restarted server made a new certificate');
      }
    },
    stop: async () => {
      await killChild('SIGTERM');
      await rm(root, { recursive: true, force: true });
    },
  };
}
