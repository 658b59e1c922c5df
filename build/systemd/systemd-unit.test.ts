import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { SYNC_SERVER_UNIT, readUnitFile, serviceCommand, unitValue } from './systemd-unit.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function flag(argv: string[], name: string): string {
  const at = argv.indexOf(name);
  expect(at, `${name} in ExecStart`).toBeGreaterThan(0);
  return argv[at + 1] as string;
}

describe('the shipped systemd unit', () => {
  const unit = readUnitFile(SYNC_SERVER_UNIT);
  const service = (key: string): string => unitValue(unit, 'Service', key);

  it('runs what `npm run server` runs, as a system user, from the install directory', () => {
    const { argv } = serviceCommand(unit);
    const scripts = (
      JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts['server']).toBe('tsx sync-server/main.ts');
    expect(argv.slice(0, 4)).toEqual(['/usr/bin/node', '--import', 'tsx', 'sync-server/main.ts']);
    expect(service('User')).not.toMatch(/^(root|0)$/);
    expect(service('WorkingDirectory')).toBe('/opt/coffer');
    expect(unitValue(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('keeps the master key beside the data dir, never inside it, both in its state directory', () => {
    const { argv } = serviceCommand(unit);
    const dataDir = flag(argv, '--data-dir');
    const keyFile = flag(argv, '--key-file');
    const state = path.join('/var/lib', service('StateDirectory'));
    expect(path.relative(dataDir, keyFile).startsWith('..')).toBe(true);
    for (const file of [dataDir, keyFile]) expect(file.startsWith(`${state}/`)).toBe(true);
    expect(service('StateDirectoryMode')).toBe('0700');
    expect(service('UMask')).toBe('0077');
    expect(service('ReadWritePaths')).toBe(state);
  });

  it('stops with SIGTERM (a graceful stop) and does not restart on a bad setting (exit 2)', () => {
    expect(service('KillSignal')).toBe('SIGTERM');
    expect(service('Restart')).toBe('on-failure');
    expect(service('RestartPreventExitStatus')).toBe('2');
  });

  it('is confined: no new privileges, a read-only system, no home, no capabilities', () => {
    expect(service('NoNewPrivileges')).toBe('yes');
    expect(service('ProtectSystem')).toBe('strict');
    expect(service('ProtectHome')).toBe('yes');
    expect(service('PrivateTmp')).toBe('yes');
    expect(service('PrivateDevices')).toBe('yes');
    expect(service('CapabilityBoundingSet')).toBe('');
    expect(service('RestrictAddressFamilies').split(' ').sort()).toEqual([
      'AF_INET',
      'AF_INET6',
      'AF_UNIX',
    ]);
  });

  it('reads settings from an optional environment file, never from the unit itself', () => {
    expect(service('EnvironmentFile')).toBe('-/etc/coffer-sync/env');
    const { env } = serviceCommand(unit);
    expect(Object.keys(env)).toEqual(['NODE_ENV']);
  });
});

describe('readUnitFile', () => {
  const withUnit = (text: string, check: (file: string) => void): void => {
    const dir = mkdtempSync(path.join(tmpdir(), 'coffer-unit-'));
    try {
      const file = path.join(dir, 'x.service');
      writeFileSync(file, text);
      check(file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('refuses a setting outside a section and a line that is not a setting', () => {
    withUnit('User=x\n', (file) => expect(() => readUnitFile(file)).toThrow(/not a unit file/));
    withUnit('[Service]\njust words\n', (file) =>
      expect(() => readUnitFile(file)).toThrow(/not a unit file/),
    );
  });

  it('refuses an ExecStart with quoting or substitution, and a key given twice where one is read', () => {
    withUnit('[Service]\nExecStart=/usr/bin/node "a b"\n', (file) =>
      expect(() => serviceCommand(readUnitFile(file))).toThrow(/quoting/),
    );
    withUnit('[Service]\nUser=a\nUser=b\n', (file) =>
      expect(() => unitValue(readUnitFile(file), 'Service', 'User')).toThrow(/2 values/),
    );
  });
});
