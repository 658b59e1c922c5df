import { spawn } from 'node:child_process';
import { BackupError, errorCode } from './backup-error.js';

/**
 * Runs pg_dump or psql (Debian package postgresql-client) to the end. `input` is piped to
 * its stdin, part by part. Resolves with its stderr on exit 0; a missing tool or another
 * exit status is a BackupError (`failure` says what was, or was not, changed).
 */
export async function runClientTool(
  tool: 'pg_dump' | 'psql',
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  failure: string,
  input: readonly (string | AsyncIterable<Buffer | string>)[] = [],
): Promise<string> {
  const child = spawn(tool, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8_000);
  });
  const exited = new Promise<{ code: number | null; spawnError?: unknown }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, spawnError: error }));
    child.once('close', (code) => resolve({ code }));
  });
  // A tool that stops reading (it failed) closes the pipe: its exit status tells why.
  child.stdin.on('error', () => undefined);
  try {
    for (const part of input) {
      if (typeof part === 'string') {
        if (!child.stdin.write(part)) await waitDrain(child.stdin);
      } else {
        for await (const chunk of part) {
          if (!child.stdin.write(chunk)) await waitDrain(child.stdin);
        }
      }
    }
  } catch (_error) {
    // Writing failed because the tool exited; its status and stderr follow.
  }
  child.stdin.end();
  const result = await exited;
  if (result.spawnError !== undefined) {
    throw new BackupError(
      errorCode(result.spawnError) === 'ENOENT'
        ? `${tool} was not found: install the PostgreSQL client tools (Debian: postgresql-client); ${failure}.`
        : `could not run ${tool} (${errorCode(result.spawnError)}); ${failure}.`,
    );
  }
  if (result.code !== 0) {
    throw new BackupError(`${tool} failed (exit ${result.code}): ${stderr.trim()}; ${failure}.`);
  }
  return stderr;
}

function waitDrain(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}
