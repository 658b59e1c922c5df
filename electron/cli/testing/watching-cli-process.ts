import { spawn } from 'node:child_process';
import { inject } from 'vitest';

import './run-cli-process.js';

export interface WatchingCli {
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first stdout line after the last one returned that `match` accepts. */
  nextLine(match: (line: string) => boolean, boundMs?: number): Promise<string>;
  /** Sends a signal; resolves with the exit code and stderr once the process has exited. */
  stop(
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: string | null; stderr: string }>;
  exited: Promise<{ code: number | null; signal: string | null; stderr: string }>;
}

/**
 * Starts the bundled `coffer` with `args` and leaves it running (`sync --watch`): its stdout
 * is read line by line as it comes. Bounds on waits stop a hung test; they decide nothing.
 */
export function startWatchingCli(args: readonly string[]): WatchingCli {
  const child = spawn(process.execPath, [inject('cofferCliBundle'), ...args], {
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  let pending = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of [...waiting]) wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null; stderr: string }>(
    (resolve) => {
      child.on('close', (code, signal) => {
        for (const wake of [...waiting]) wake();
        resolve({ code, signal, stderr });
      });
    },
  );
  let cursor = 0;
  return {
    lines,
    exited,
    nextLine(match, boundMs = 120_000) {
      return new Promise((resolve, reject) => {
        const look = (): boolean => {
          const index = lines.findIndex((line, i) => i >= cursor && match(line));
          if (index < 0) return false;
          cursor = index + 1;
          resolve(lines[index] ?? '');
          return true;
        };
        if (look()) return;
        const timer = setTimeout(() => {
          waiting.delete(wake);
          reject(
            new Error(
              `no matching line in ${boundMs} ms; stdout so far:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          );
        }, boundMs);
        const wake = (): void => {
          const found = look();
          const gone = child.exitCode !== null || child.signalCode !== null;
          if (!found && !gone) return;
          clearTimeout(timer);
          waiting.delete(wake);
          if (!found)
            reject(
              new Error(`coffer exited first; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`),
            );
        };
        waiting.add(wake);
      });
    },
    async stop(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
