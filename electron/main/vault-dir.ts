import * as path from 'node:path';

/**
 * The folder the desktop app keeps its vault in: `COFFER_VAULT` when set (as the command
 * line and web mode honour it), else `vault` under Electron's per-user data folder.
 */
export function resolveVaultDir(options: {
  envVault: string | undefined;
  userDataDir: string;
}): string {
  const fromEnv = options.envVault?.trim();
  if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv);
  return path.join(options.userDataDir, 'vault');
}
