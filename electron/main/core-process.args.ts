/** What main tells the core's utility process, and how the core reads it. */

export const CORE_CONNECT_MESSAGE = { type: 'connect' } as const;

export function isConnectMessage(data: unknown): boolean {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { type?: unknown }).type === CORE_CONNECT_MESSAGE.type
  );
}

export function coreProcessArgs(vaultDir: string): string[] {
  return ['--vault', vaultDir];
}

/** The folder after `--vault`, or null when it is missing or empty. */
export function vaultDirFromArgs(argv: readonly string[]): string | null {
  const at = argv.indexOf('--vault');
  if (at === -1) return null;
  const value = argv[at + 1];
  return value === undefined || value === '' || value.startsWith('--') ? null : value;
}
