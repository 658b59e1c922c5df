import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

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

/** Runs the real `coffer` entry point in a child process, as a user or script would. */
export function runCliProcess(
  args: readonly string[],
  options: CliProcessOptions = {},
): Promise<CliRun> {
  const node = [process.execPath, '--import', 'tsx', MAIN, ...args];
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
