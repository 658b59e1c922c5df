import { UsageError } from './usage-error.js';

export interface GlobalOptions {
  vaultDir: string | undefined;
  keyFile: string | undefined;
  json: boolean;
  help: boolean;
  version: boolean;
  rest: string[];
}

const WITH_VALUE = new Set(['--vault', '--key-file']);

/**
 * Global options may stand anywhere on the line (`coffer --json account list` and
 * `coffer account list --json` both work); they are taken out before the command parses.
 */
export function extractGlobalOptions(argv: readonly string[]): GlobalOptions {
  const found: GlobalOptions = {
    vaultDir: undefined,
    keyFile: undefined,
    json: false,
    help: false,
    version: false,
    rest: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      found.rest.push(...argv.slice(i));
      break;
    }
    const [name, inline] = arg.startsWith('--') ? splitInline(arg) : [arg, undefined];
    if (WITH_VALUE.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.length === 0) throw new UsageError(`${name} needs a value`);
      if (name === '--vault') found.vaultDir = value;
      else found.keyFile = value;
    } else if (arg === '--json') found.json = true;
    else if (arg === '--help' || arg === '-h') found.help = true;
    else if (arg === '--version') found.version = true;
    else found.rest.push(arg);
  }
  return found;
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
