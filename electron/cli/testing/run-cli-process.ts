import { spawn } from 'node:child_process';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** electron/cli/main.ts bundled once per run (build/testing/bundles.global-setup.ts). */
    cofferCliBundle: string;
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliProcessOptions {
  stdin?: string;
  env?: Record<string, string>;
  /** Run as another user (tests running as root use it to make file modes bind). */
  user?: { uid: number; gid: number };
  /** RLIMIT_FSIZE for the process, in KiB: writes past it fail with EFBIG. */
  fileSizeLimitKiB?: number;
}

/**
 * Runs the real `coffer` entry point in a child process, as a user or script would: main.ts
 * as the test run's global setup bundled it, so the process starts without a TypeScript
 * loader. `npm run cli` runs the same main.ts through tsx (build/install proves that path).
 */
export function runCliProcess(
  args: readonly string[],
  options: CliProcessOptions = {},
): Promise<CliRun> {
  const node = [process.execPath, inject('cofferCliBundle'), ...args];
  // Bash sets the limit, then execs Node; SIGXFSZ is ignored so a write past the limit
  // fails with EFBIG instead of killing the process.
  const [command, ...commandArgs] =
    options.fileSizeLimitKiB === undefined
      ? node
      : [
          'bash',
          '-c',
          `trap '' XFSZ; ulimit -f ${options.fileSizeLimitKiB}; exec "$@"`,
          'coffer',
          ...node,
        ];
  return new Promise((resolve, reject) => {
    const child = spawn(command as string, commandArgs, {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.user === undefined ? {} : { uid: options.user.uid, gid: options.user.gid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
