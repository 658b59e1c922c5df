import { describe, expect, it } from 'vitest';

import { defaultVaultDir } from './default-vault-dir.js';

describe('the default vault folder is the desktop app’s', () => {
  it('is under XDG_CONFIG_HOME on Linux, ~/.config when it is unset, empty or relative', () => {
    const at = (env: NodeJS.ProcessEnv) =>
      defaultVaultDir({ platform: 'linux', env, homedir: '/home/ada' });
    expect(at({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/Coffer/vault');
    expect(at({})).toBe('/home/ada/.config/Coffer/vault');
    expect(at({ XDG_CONFIG_HOME: '' })).toBe('/home/ada/.config/Coffer/vault');
    expect(at({ XDG_CONFIG_HOME: 'relative/cfg' })).toBe('/home/ada/.config/Coffer/vault');
  });

  it('is in Application Support on macOS and in APPDATA on Windows', () => {
    expect(defaultVaultDir({ platform: 'darwin', env: {}, homedir: '/Users/ada' })).toBe(
      '/Users/ada/Library/Application Support/Coffer/vault',
    );
    expect(
      defaultVaultDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        homedir: 'C:\\Users\\ada',
      }),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\Coffer\\vault');
    expect(defaultVaultDir({ platform: 'win32', env: {}, homedir: 'C:\\Users\\ada' })).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Coffer\\vault',
    );
  });
});
