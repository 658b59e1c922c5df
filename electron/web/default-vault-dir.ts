/**
 * Where the vault lives when neither `--vault` nor COFFER_VAULT says: the same folder the
 * desktop app uses, `vault/` inside Electron's per-user data folder for an app named
 * Coffer, so both modes open the same books:
 *   Linux    $XDG_CONFIG_HOME/Coffer/vault (~/.config/Coffer/vault when unset)
 *   macOS    ~/Library/Application Support/Coffer/vault
 *   Windows  %APPDATA%\Coffer\vault
 */
import path from 'node:path';

export interface PlatformFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  homedir: string;
}

export function defaultVaultDir(facts: PlatformFacts): string {
  const { platform, env, homedir } = facts;
  switch (platform) {
    case 'darwin':
      return path.posix.join(homedir, 'Library', 'Application Support', 'Coffer', 'vault');
    case 'win32':
      return path.win32.join(
        nonEmpty(env['APPDATA']) ?? path.win32.join(homedir, 'AppData', 'Roaming'),
        'Coffer',
        'vault',
      );
    default: {
      // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
      const xdg = nonEmpty(env['XDG_CONFIG_HOME']);
      const config = xdg !== undefined && path.posix.isAbsolute(xdg) ? xdg : undefined;
      return path.posix.join(config ?? path.posix.join(homedir, '.config'), 'Coffer', 'vault');
    }
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
