import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { cliOk, keychainScratch } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';
import { startWatchingCli } from './testing/watching-cli-process.js';

/**
 * `coffer sync --watch` end to end: the real server in a child process (TLS 1.3, pinned),
 * the CLI in child processes, real vaults and the real OS keychain. The watching desktop
 * receives the laptop's change through the server's announcement, and SIGTERM stops it
 * cleanly with exit 0.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-sync-watch-');
const PASSWORD = 'copper willow meadow 31';

let server: SyncServerProcess;

beforeAll(async () => {
  server = await startSyncServerProcess();
}, 120_000);
afterAll(async () => server?.stop());

interface WatchLine {
  event: string;
  cause?: string;
  applied?: number;
  connected?: boolean;
  rounds?: number;
}

const parsed = (line: string): WatchLine => JSON.parse(line) as WatchLine;

describe('coffer sync --watch', { timeout: 600_000 }, () => {
  it('applies the other device’s change as the server announces it, exits 0 on SIGTERM, and 1 with SESSION_REVOKED once revoked', async () => {
    const address = `watch-${process.pid}@example.test`;
    const laptop = await initScratchVault(scratch, 'laptop');
    const registered = await cliOk(
      laptop,
      ['sync', 'register', ...accountArgs(server, address)],
      `${PASSWORD}\n`,
    );
    await cliOk(laptop, ['workspace', 'create', '--name', 'Watched books']);
    await cliOk(laptop, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    await cliOk(laptop, ['sync']);

    const desktop = await initScratchVault(scratch, 'desktop');
    await cliOk(
      desktop,
      ['sync', 'login', ...accountArgs(server, address), '--recovery-key-stdin'],
      `${PASSWORD}\n${String(registered['recoveryKey'])}\n`,
    );

    const watch = startWatchingCli(['--vault', desktop, '--json', 'sync', '--watch']);
    try {
      await watch.nextLine(
        (line) => parsed(line).event === 'socket' && parsed(line).connected === true,
      );
      // The round the socket's opening asks for: from here on, news comes by announcement.
      await watch.nextLine(
        (line) => parsed(line).event === 'round' && parsed(line).cause === 'socket',
      );

      const added = await cliOk(laptop, [
        'tx',
        'add',
        '--account',
        'Checking',
        '--amount',
        '-89.90',
        '--date',
        '2026-11-06',
        '--payee',
        'Hardware store',
      ]);
      expect((await cliOk(laptop, ['sync']))['pushed']).toBeGreaterThanOrEqual(1);
      const applied = parsed(
        await watch.nextLine((line) => {
          const event = parsed(line);
          return event.event === 'round' && (event.applied ?? 0) > 0;
        }),
      );
      expect(applied.cause).toBe('announced');

      const exit = await watch.stop('SIGTERM');
      expect([exit.code, exit.signal], exit.stderr).toEqual([0, null]);
      expect(exit.stderr).toBe('');
      const last = parsed(watch.lines.filter((line) => line !== '').at(-1) ?? '{}');
      expect(last).toMatchObject({ event: 'stopped' });
      expect(last.rounds).toBeGreaterThanOrEqual(3);

      // The vault was closed cleanly and holds the laptop's transaction.
      const listed = (await cliOk(desktop, ['tx', 'list'])) as {
        transactions: { id: string; payeeName: string; amountMinor: number }[];
      };
      expect(listed.transactions).toEqual([
        expect.objectContaining({
          id: added['id'],
          payeeName: 'Hardware store',
          amountMinor: -8_990,
        }),
      ]);
    } finally {
      await watch.stop('SIGKILL');
    }

    // Watching again, the desktop's session is revoked from the laptop: the loop meets
    // SESSION_REVOKED, the vault is shredded, and the command fails with that code.
    const again = startWatchingCli(['--vault', desktop, '--json', 'sync', '--watch']);
    try {
      await again.nextLine(
        (line) => parsed(line).event === 'round' && parsed(line).cause === 'socket',
      );
      const listed = (await cliOk(laptop, ['sessions', 'list'])) as {
        sessions: { id: string; current: boolean }[];
      };
      const desktopSession = listed.sessions.find((s) => !s.current);
      expect(desktopSession).toBeDefined();
      await cliOk(
        laptop,
        ['sessions', 'revoke', String(desktopSession?.id), '--password-stdin'],
        `${PASSWORD}\n`,
      );
      // The laptop's next push is announced; the server closes the revoked socket instead.
      await cliOk(laptop, [
        'tx',
        'add',
        '--account',
        'Checking',
        '--amount',
        '-1.00',
        '--date',
        '2026-11-07',
        '--payee',
        'Kiosk',
      ]);
      await cliOk(laptop, ['sync']);
      const exit = await again.exited;
      expect(exit.code, exit.stderr).toBe(1);
      const lastLine = exit.stderr.trim().split('\n').at(-1) ?? '';
      expect(lastLine, exit.stderr).toMatch(/^\{/);
      const error = JSON.parse(lastLine) as { error?: { code: string } };
      expect(error.error?.code).toBe('SESSION_REVOKED');
      expect(existsSync(join(desktop, 'vault.json'))).toBe(false);
    } finally {
      await again.stop('SIGKILL');
    }
  });
});
