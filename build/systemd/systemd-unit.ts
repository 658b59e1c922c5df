import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The unit Coffer ships for the sync server (docs/self-hosting.md). */
export const SYNC_SERVER_UNIT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'coffer-sync.service',
);

/** A unit file's settings: section → key → every value given, in order. */
export type UnitFile = Map<string, Map<string, string[]>>;

/** Reads a systemd unit file: `[Section]` headers and `Key=Value` lines; `#` and `;` comment. */
export function readUnitFile(file: string): UnitFile {
  const unit: UnitFile = new Map();
  let section: Map<string, string[]> | undefined;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      section = new Map();
      unit.set(header[1], section);
      continue;
    }
    const equals = line.indexOf('=');
    if (section === undefined || equals < 1) throw new Error(`not a unit file line: ${line}`);
    const key = line.slice(0, equals);
    section.set(key, [...(section.get(key) ?? []), line.slice(equals + 1)]);
  }
  return unit;
}

/** The one value of `key` in `section`; throws when it is missing or given twice. */
export function unitValue(unit: UnitFile, section: string, key: string): string {
  const values = unit.get(section)?.get(key) ?? [];
  if (values.length !== 1) throw new Error(`[${section}] ${key}: ${values.length} values`);
  return values[0] as string;
}

/**
 * The command ExecStart runs, split as systemd splits a line without quotes, and the
 * variables its Environment= lines set.
 */
export function serviceCommand(unit: UnitFile): { argv: string[]; env: Record<string, string> } {
  const argv = unitValue(unit, 'Service', 'ExecStart').split(/\s+/);
  if (argv.some((word) => /["'\\$%]/.test(word))) {
    throw new Error('ExecStart uses quoting or substitution this reader does not follow');
  }
  const env: Record<string, string> = {};
  for (const assignment of unit.get('Service')?.get('Environment') ?? []) {
    const [name, ...value] = assignment.split('=');
    env[name as string] = value.join('=');
  }
  return { argv, env };
}
