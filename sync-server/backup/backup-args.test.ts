import { describe, expect, it } from 'vitest';

import { ConfigError } from '../config/server-config.js';
import { parseBackupArgs } from './backup-args.js';

describe('parseBackupArgs', () => {
  it('takes out its own flags, resolved against the working folder, and leaves the server flags', () => {
    expect(
      parseBackupArgs('backup', ['--data-dir', 'd', '--out', 'b.backup', '--force'], '/srv'),
    ).toEqual({ out: '/srv/b.backup', force: true, serverFlags: ['--data-dir', 'd'] });
    expect(
      parseBackupArgs('restore', ['--from=/x/b.backup', '--storage', 'postgres'], '/srv'),
    ).toEqual({ from: '/x/b.backup', force: false, serverFlags: ['--storage', 'postgres'] });
  });

  it.each([
    ['backup', ['--data-dir', 'd'], /backup needs --out FILE/],
    ['restore', ['--data-dir', 'd'], /restore needs --from FILE/],
    ['backup', ['--out'], /--out needs a file name/],
    ['backup', ['--out', '--force'], /--out needs a file name/],
    ['backup', ['--out', 'a', '--out', 'b'], /--out is given twice/],
    ['backup', ['--out', 'a', '--from', 'b'], /--from does not go with backup/],
    ['restore', ['--from', 'a', '--force'], /--force does not go with restore/],
    ['backup', ['--out', 'a', '--force=yes'], /--force takes no value/],
  ] as const)('%s %j is a usage error', (command, argv, message) => {
    expect(() => parseBackupArgs(command, argv)).toThrow(ConfigError);
    expect(() => parseBackupArgs(command, argv)).toThrow(message);
  });
});
