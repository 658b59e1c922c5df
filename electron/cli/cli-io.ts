/** Where the CLI reads and writes, so tests can run it in-process as well as as a child. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whole of standard input, for secrets passed with --*-stdin. */
  readStdin(): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  now(): number;
}
