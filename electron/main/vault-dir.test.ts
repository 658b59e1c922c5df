import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { coreProcessArgs, isConnectMessage, vaultDirFromArgs } from './core-process.args.js';
import { resolveVaultDir } from './vault-dir.js';

describe('the desktop vault folder', () => {
  it('is COFFER_VAULT when set, made absolute', () => {
    expect(
      resolveVaultDir({ envVault: '/data/books', userDataDir: '/home/u/.config/Coffer' }),
    ).toBe('/data/books');
    expect(resolveVaultDir({ envVault: 'rel/books', userDataDir: '/x' })).toBe(
      path.resolve('rel/books'),
    );
  });

  it("is 'vault' under the user-data folder otherwise (unset or blank)", () => {
    for (const envVault of [undefined, '', '   ']) {
      expect(resolveVaultDir({ envVault, userDataDir: '/home/u/.config/Coffer' })).toBe(
        '/home/u/.config/Coffer/vault',
      );
    }
  });

  it('reaches the core process as --vault DIR, and only so', () => {
    const argv = ['/electron', '/app/core-process.js', ...coreProcessArgs('/data/my books')];
    expect(vaultDirFromArgs(argv)).toBe('/data/my books');
    expect(vaultDirFromArgs(['/electron', 'x'])).toBeNull();
    expect(vaultDirFromArgs(['--vault'])).toBeNull();
    expect(vaultDirFromArgs(['--vault', ''])).toBeNull();
    expect(vaultDirFromArgs(['--vault', '--other'])).toBeNull();
  });

  it('the core connects a port only for the connect message', () => {
    expect(isConnectMessage({ type: 'connect' })).toBe(true);
    for (const data of [null, undefined, 'connect', { type: 'other' }, {}]) {
      expect(isConnectMessage(data)).toBe(false);
    }
  });
});
