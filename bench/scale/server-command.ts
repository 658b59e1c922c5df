/**
 * Runs `npm run server -- ARGS` from the repository root as a child process, exactly as
 * docs/self-hosting.md gives the operator's commands, and times it from spawn to exit:
 * npm, tsx and Node's start are part of what an operator waits for.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

import { REPO_ROOT } from '../server/server-process.js';

export interface CommandRun {
  ms: number;
  stdout: string;
}

export async function runServerCommand(
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<CommandRun> {
  const startedAt = performance.now();
  const child = spawn('npm', ['run', 'server', '--', ...args], {
    cwd: REPO_ROOT,
    // Only what npm and node need: COFFER_SERVER_* settings of the caller must not change the run.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr
    .setEncoding('utf8')
    .on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  const timeoutMs = options.timeoutMs ?? 600_000;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => resolve(exitCode));
  }).finally(() => clearTimeout(timer));
  const ms = performance.now() - startedAt;
  if (code !== 0) {
    throw new Error(`npm run server -- ${args[0] ?? ''} exited with ${code}: ${stderr}`);
  }
  return { ms, stdout };
}
