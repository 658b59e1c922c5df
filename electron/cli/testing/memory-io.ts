import type { CliIo } from '../cli-io.js';

/** A CliIo that keeps what the CLI printed, for in-process tests. */
export function memoryIo(
  now: number = Date.UTC(2026, 10, 21),
): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    stdoutFlushed: (t: string) => {
      io.out += t;
      return Promise.resolve();
    },
    readStdin: () => Promise.resolve(''),
    env: {},
    now: () => now,
  };
  return io;
}
