import path from 'node:path';

import { ConfigError } from '../config/server-config.js';

export interface BackupArgs {
  /** `backup --out FILE`, absolute. */
  out?: string;
  /** `restore --from FILE`, absolute. */
  from?: string;
  force: boolean;
  /** The rest, for parseServerConfig (--data-dir, --storage, --database-url, --key-file). */
  serverFlags: string[];
}

const OWN_FLAGS = { backup: ['--out', '--force'], restore: ['--from'] } as const;

/**
 * Takes the backup and restore commands' own flags out of `argv`; the server's flags stay for
 * parseServerConfig. Throws ConfigError (exit 2) for a missing or foreign one.
 */
export function parseBackupArgs(
  command: 'backup' | 'restore',
  argv: readonly string[],
  cwd: string = process.cwd(),
): BackupArgs {
  const own = new Set<string>(OWN_FLAGS[command]);
  const values = new Map<string, string>();
  let force = false;
  const serverFlags: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [name = '', inline] = arg.startsWith('--') ? splitInline(arg) : [arg];
    const isOwn = ['--out', '--from', '--force'].includes(name);
    if (!isOwn) {
      serverFlags.push(arg);
      continue;
    }
    if (!own.has(name)) throw new ConfigError(`${name} does not go with ${command}`);
    if (name === '--force') {
      if (inline !== undefined) throw new ConfigError('--force takes no value');
      force = true;
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i += 1;
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new ConfigError(`${name} needs a file name`);
    }
    if (values.has(name)) throw new ConfigError(`${name} is given twice`);
    values.set(name, value);
  }
  const wanted = command === 'backup' ? '--out' : '--from';
  const file = values.get(wanted);
  if (file === undefined) throw new ConfigError(`${command} needs ${wanted} FILE`);
  const absolute = path.resolve(cwd, file);
  return command === 'backup'
    ? { out: absolute, force, serverFlags }
    : { from: absolute, force, serverFlags };
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
