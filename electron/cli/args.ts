import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * `--amount -12.34` is the natural way to type a withdrawal, but node's parseArgs reads
 * `-12.34` as an option. A value that looks like a negative number is glued to its option.
 */
function glueNegativeNumbers(argv: readonly string[], options: OptionSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    if (
      name !== undefined &&
      options[name]?.type === 'string' &&
      next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseCommandArgs(
  argv: readonly string[],
  options: OptionSpec,
  positionals: { min: number; max: number },
): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: glueNegativeNumbers(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    const expected =
      positionals.min === positionals.max
        ? `${positionals.min}`
        : `${positionals.min} to ${positionals.max}`;
    throw new UsageError(`expected ${expected} argument(s), got ${count}`);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}

export function requireString(args: ParsedArgs, name: string): string {
  const value = args.values[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new UsageError(`--${name} is required`);
  }
  return value;
}

export function optionalString(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function optionalInteger(args: ParsedArgs, name: string): number | undefined {
  const value = optionalString(args, name);
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value)) throw new UsageError(`--${name} must be a whole number`);
  return Number(value);
}

/** A value from a fixed list; `aliases` lets a user type `tab` for '\t'. */
export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
  aliases: Readonly<Record<string, T>> = {},
): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value) ?? aliases[value];
  if (found === undefined) {
    const shown = allowed.map((a) => Object.keys(aliases).find((k) => aliases[k] === a) ?? a);
    throw new UsageError(`--${name} must be one of: ${shown.join(', ')}`);
  }
  return found;
}
