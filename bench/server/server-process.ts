/**
 * Runs the real sync server (`sync-server/main.ts`, what `npm run server` runs) as a child
 * process on 127.0.0.1 with an OS-picked port, waits for its start-up lines, and stops it
 * for sure: SIGTERM, then SIGKILL after a grace period, and SIGKILL if the bench process
 * exits with the child still running.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = path.join(REPO_ROOT, 'sync-server', 'main.ts');

export interface StartupInfo {
  /** `https://127.0.0.1:PORT` from `listening on …`. */
  url: string;
  /** From `fingerprint: sha256:<hex>`. */
  fingerprint: string;
}

/**
 * Folds one stdout line into what start-up has told so far; complete once both the
 * fingerprint and the `listening on` line were seen.
 */
export function readStartupLine(line: string, seen: Partial<StartupInfo>): Partial<StartupInfo> {
  const fingerprint = /^fingerprint: sha256:([0-9a-f]{64})$/i.exec(line.trim());
  if (fingerprint?.[1] !== undefined) return { ...seen, fingerprint: fingerprint[1].toLowerCase() };
  const listening = /^listening on (https:\/\/\S+)$/.exec(line.trim());
  if (listening?.[1] !== undefined) return { ...seen, url: listening[1] };
  return seen;
}

export function isComplete(seen: Partial<StartupInfo>): seen is StartupInfo {
  return seen.url !== undefined && seen.fingerprint !== undefined;
}

export interface ServerProcessOptions {
  dataDir: string;
  keyFile: string;
  /** The server's log (its stderr) goes here. */
  logFile: string;
  /** Further flags, e.g. `--trust-proxy`. */
  args?: readonly string[];
  /** Another entry point taking the same flags; default sync-server/main.ts. */
  entry?: string;
  startTimeoutMs?: number;
  /** Time SIGTERM gets before SIGKILL. */
  stopGraceMs?: number;
}

export interface ServerProcess extends StartupInfo {
  pid: number;
  /** Stops the server (idempotent); says whether it needed SIGKILL. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }>;
}

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const running of children) running.kill('SIGKILL');
  });
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const log = fs.openSync(options.logFile, 'a', 0o600);
  const args = [
    '--import',
    'tsx',
    options.entry ?? MAIN,
    '--data-dir',
    options.dataDir,
    '--key-file',
    options.keyFile,
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    ...(options.args ?? []),
  ];
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      // Only what node needs: COFFER_SERVER_* settings of the caller must not change the run.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
      stdio: ['ignore', 'pipe', log],
    });
  } finally {
    fs.closeSync(log);
  }
  killOnExit(child);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  let stopping:
    Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> | undefined;
  const stop = (): NonNullable<typeof stopping> => {
    stopping ??= (async () => {
      let killed = false;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, stopGraceMs);
        const result = await exited;
        clearTimeout(timer);
        return { ...result, killed };
      }
      return { ...(await exited), killed };
    })();
    return stopping;
  };

  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const started = await new Promise<StartupInfo | Error>((resolve) => {
    let seen: Partial<StartupInfo> = {};
    let pending = '';
    const timer = setTimeout(
      () => resolve(new Error(`the server did not start within ${startTimeoutMs} ms`)),
      startTimeoutMs,
    );
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        seen = readStartupLine(pending.slice(0, newline), seen);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      if (isComplete(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      resolve(new Error(`the server exited during start-up (${code ?? signal})`));
    });
  });
  if (started instanceof Error) {
    await stop();
    throw new Error(`${started.message}; its log: ${options.logFile}`);
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout?.resume();
  return { ...started, pid: child.pid ?? -1, stop };
}

/**
 * A scratch folder `dataDir/name` holding a server of its own (data dir, key file, log):
 * how the sync sections start theirs.
 */
export async function startScratchServer(
  dataDir: string,
  name: string,
): Promise<{ scratch: string; server: ServerProcess }> {
  const scratch = path.join(dataDir, name);
  fs.mkdirSync(scratch, { recursive: true });
  const server = await startServerProcess({
    dataDir: path.join(scratch, 'server'),
    keyFile: path.join(scratch, 'master.key'),
    logFile: path.join(scratch, 'server.log'),
  });
  return { scratch, server };
}
