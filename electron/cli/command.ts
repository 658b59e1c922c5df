import type { CliIo } from './cli-io.js';
import type { OptionSpec, ParsedArgs } from './args.js';
import type { CoreServices } from '../core/core-services.js';
import type { KeyStore } from '../core/vault/key-store.js';
import type { Vault } from '../core/vault/vault.js';

export interface CommandContext {
  readonly vaultDir: string;
  readonly keyFile: string | undefined;
  readonly json: boolean;
  readonly io: CliIo;
  /** The OS keychain, or the key file the user opted in to (warned once). */
  keyStore(): KeyStore;
  /** Opens the vault once per run; later calls return the same one. */
  vault(): Promise<Vault>;
  services(): Promise<CoreServices>;
  warn(message: string): void;
  /**
   * Prints a result now, before the command has finished, for output that must reach the
   * user before a later step runs (a new Recovery Key, before the old one stops working).
   * Resolves once the operating system holds the output. The command still returns the
   * result; it is not printed twice.
   */
  print(result: CommandResult): Promise<void>;
}

/** What a command produced: `data` for --json, `text` for people. */
export interface CommandResult {
  data: unknown;
  text: string;
  /** With --json, the data on one line: for a command that printed JSON lines before it. */
  jsonLine?: boolean;
}

export interface Command {
  /** Words that select it, e.g. ['account', 'add']. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Shown after `coffer <path>` in help and usage errors. */
  readonly usage: string;
  readonly options: OptionSpec;
  readonly positionals: { min: number; max: number };
  run(ctx: CommandContext, args: ParsedArgs): Promise<CommandResult>;
}

export const NO_POSITIONALS = { min: 0, max: 0 } as const;
