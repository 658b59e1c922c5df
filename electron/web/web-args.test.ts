import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseWebArgs } from './web-args.js';

describe('start:web arguments', () => {
  it('takes the vault from --vault, else COFFER_VAULT, else leaves it to the default', () => {
    expect(parseWebArgs(['--vault', '/v'], { COFFER_VAULT: '/env' })).toEqual({
      kind: 'run',
      vaultDir: '/v',
      port: 0,
      rendererDir: undefined,
    });
    expect(parseWebArgs(['--vault=/v2'], {})).toMatchObject({ vaultDir: '/v2' });
    expect(parseWebArgs([], { COFFER_VAULT: '/env' })).toMatchObject({ vaultDir: '/env' });
    expect(parseWebArgs([], { COFFER_VAULT: '' })).toMatchObject({ vaultDir: undefined });
    expect(parseWebArgs([], {})).toMatchObject({ vaultDir: undefined, port: 0 });
    expect(parseWebArgs(['--vault', 'books'], {})).toMatchObject({
      vaultDir: path.resolve('books'),
    });
  });

  it('reads --port and --renderer, and --help wins', () => {
    expect(parseWebArgs(['--port', '8123', '--renderer', '/r'], {})).toMatchObject({
      port: 8123,
      rendererDir: '/r',
    });
    expect(parseWebArgs(['--port', '1', '--help'], {})).toEqual({ kind: 'help' });
    expect(parseWebArgs(['-h'], {})).toEqual({ kind: 'help' });
  });

  it.each([
    [['--port', '65536'], '--port needs a port number (0 to 65535)'],
    [['--port', '-1'], '--port needs a port number (0 to 65535)'],
    [['--port', '80x'], '--port needs a port number (0 to 65535)'],
    [['--port'], '--port needs a value'],
    [['--vault'], '--vault needs a value'],
    [['--vault='], '--vault needs a value'],
    [['--token', 'x'], 'unknown argument: --token'],
    [['serve'], 'unknown argument: serve'],
  ])('refuses %j', (argv, message) => {
    expect(parseWebArgs(argv, {})).toEqual({ kind: 'usage-error', message });
  });
});
