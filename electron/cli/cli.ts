import { resolve } from 'node:path';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './cli-io.js';
import type { Command, CommandContext } from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT_OK, EXIT_USAGE, formatResult, printFailure, printResult } from './output.js';
import { UsageError } from './usage-error.js';
import { type GlobalOptions, extractGlobalOptions } from './global-options.js';
import { cliKeyStore, openCliVault } from './open-cli-vault.js';
import type { KeyStore } from '../core/vault/key-store.js';
import { createCoreServices, type CoreServices } from '../core/core-services.js';
import type { Vault } from '../core/vault/vault.js';
import {
  fromSqliteError,
  isSqliteError,
  stackWithoutMessage,
} from '../core/vault/sqlite-errors.js';

export const CLI_VERSION = '0.1.0';

/** Runs one command line; resolves to the process exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let globals: GlobalOptions;
  try {
    globals = extractGlobalOptions(argv);
  } catch (error) {
    return printFailure(io, argv.includes('--json'), error);
  }
  if (globals.version) {
    io.stdout(`${CLI_VERSION}\n`);
    return EXIT_OK;
  }
  const match = findCommand(globals.rest);
  if (globals.help || match === undefined) {
    io[match === undefined && !globals.help ? 'stderr' : 'stdout'](helpText(globals.rest));
    return globals.help ? EXIT_OK : EXIT_USAGE;
  }
  const { command, args } = match;
  let vault: Vault | undefined;
  try {
    const parsed = parseCommandArgs(args, command.options, command.positionals);
    const vaultDir = globals.vaultDir ?? io.env['COFFER_VAULT'];
    if (vaultDir === undefined)
      throw new UsageError('--vault DIR is required (or set COFFER_VAULT)');
    let services: CoreServices | undefined;
    let keyStore: KeyStore | undefined;
    let printed = false;
    const ctx: CommandContext = {
      vaultDir: resolve(vaultDir),
      keyFile: globals.keyFile === undefined ? undefined : resolve(globals.keyFile),
      json: globals.json,
      io,
      keyStore: () => {
        keyStore ??= cliKeyStore(ctx);
        return keyStore;
      },
      vault: async () => {
        vault ??= await openCliVault(ctx);
        return vault;
      },
      services: async () => {
        services ??= createCoreServices(await ctx.vault());
        return services;
      },
      warn: (message) => io.stderr(`coffer: warning: ${message}\n`),
      print: async (result) => {
        printed = true;
        await io.stdoutFlushed(formatResult(globals.json, result));
      },
    };
    const result = await command.run(ctx, parsed);
    if (!printed) printResult(io, globals.json, result);
    return EXIT_OK;
  } catch (error) {
    if (io.env['COFFER_DEBUG'] === '1') io.stderr(debugTrace(error));
    return printFailure(io, globals.json, fromSqliteError(error), `coffer ${command.usage}`);
  } finally {
    vault?.close();
  }
}

/** The stack for COFFER_DEBUG=1; a driver error's message line is left out, as it can quote SQL. */
function debugTrace(error: unknown): string {
  if (isSqliteError(error)) return `${stackWithoutMessage(error)}\n`;
  return error instanceof Error && error.stack !== undefined ? `${error.stack}\n` : '';
}

function findCommand(words: string[]): { command: Command; args: string[] } | undefined {
  let best: Command | undefined;
  for (const command of COMMANDS) {
    const matches = command.path.every((word, i) => words[i] === word);
    if (matches && (best === undefined || command.path.length > best.path.length)) best = command;
  }
  return best === undefined ? undefined : { command: best, args: words.slice(best.path.length) };
}

function helpText(words: string[]): string {
  const prefix = words.filter((w) => !w.startsWith('-'));
  const relevant = COMMANDS.filter((c) => c.path[0] === prefix[0]);
  const shown = relevant.length > 0 ? relevant : COMMANDS;
  const lines = shown.map((c) => `  coffer ${c.usage}\n      ${c.summary}`);
  const unknown =
    prefix.length > 0 && relevant.length === 0
      ? `coffer: unknown command "${prefix.join(' ')}"\n\n`
      : '';
  return `${unknown}usage: coffer --vault DIR [--json] [--key-file FILE] <command>\n\ncommands:\n${lines.join('\n')}\n`;
}
