import { spawn } from 'node:child_process';
import { inject } from 'vitest';

import type { CliRun } from './run-cli-process.js';

export interface BackgroundCli {
  /** Resolves with the first match of `pattern` in what the process wrote to stderr so far. */
  stderrMatch(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  done: Promise<CliRun>;
}

/**
 * Runs `coffer ARGS` in a child process (the bundle runCliProcess runs) and lets the test
 * act while it is still running, on what it has printed: a command that waits for another
 * device. The bound on each wait stops a hang; it is not a speed requirement.
 */
export function startCliProcess(args: readonly string[], stdin = ''): BackgroundCli {
  const child = spawn(process.execPath, [inject('cofferCliBundle'), ...args], {
    env: process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const listener of listeners) listener();
  });
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const listener of listeners) listener();
      resolve({ code, stdout, stderr });
    });
  });
  child.stdin.end(stdin);
  return {
    done,
    stderrMatch(pattern, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stderr);
          if (match !== null) {
            finish();
            resolve(match);
          } else if (child.exitCode !== null) {
            finish();
            reject(new Error(`exited ${child.exitCode} without ${pattern}: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${pattern} on stderr in ${timeoutMs} ms: ${stderr}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
