import { flag, type ParsedArgs } from './args.js';
import { UsageError } from './usage-error.js';

/** An edit with nothing to change is a usage mistake, refused before the vault is opened. */
export function requireSomeOption(args: ParsedArgs, names: readonly string[]): void {
  if (names.some((name) => args.values[name] !== undefined)) return;
  throw new UsageError(`give at least one of ${names.map((n) => `--${n}`).join(', ')}`);
}

/**
 * A text option that may clear a field: absent leaves it, `--opt ""` (or blanks) clears it
 * to null, anything else sets it.
 */
export function clearableString(args: ParsedArgs, name: string): string | null | undefined {
  const value = args.values[name];
  if (typeof value !== 'string') return undefined;
  return value.trim().length === 0 ? null : value;
}

/** A required id or name given as the one positional argument; blank is a usage mistake. */
export function refArg(args: ParsedArgs, what: string): string {
  const ref = (args.positionals[0] ?? '').trim();
  if (ref.length === 0) throw new UsageError(`${what} must not be empty`);
  return ref;
}

export const ONE_REF = { min: 1, max: 1 } as const;

/** `--archive` hides a record that is still in use; `--unarchive` shows it again. */
export const ARCHIVE_OPTIONS = {
  archive: { type: 'boolean' },
  unarchive: { type: 'boolean' },
} as const;

export function archivedArg(args: ParsedArgs): { archived?: boolean } {
  const archive = flag(args, 'archive');
  const unarchive = flag(args, 'unarchive');
  if (archive && unarchive) throw new UsageError('--archive and --unarchive cannot be combined');
  if (archive) return { archived: true };
  return unarchive ? { archived: false } : {};
}
