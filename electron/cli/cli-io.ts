/** Where the CLI reads and writes, so tests can run it in-process as well as as a child. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Writes to stdout and resolves once the operating system holds the text (a pipe's or a
   * terminal's buffer), for output that must survive the process dying right after: on
   * POSIX a write to a pipe may otherwise still be queued in the process.
   */
  stdoutFlushed(text: string): Promise<void>;
  /** Whole of standard input, for secrets passed with --*-stdin. */
  readStdin(): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  now(): number;
  /**
   * Calls `listener` on the first SIGINT or SIGTERM, for a command that runs until stopped
   * (`sync --watch`); returns the call that stops listening and restores the default.
   */
  onStopSignal?(listener: () => void): () => void;
}
