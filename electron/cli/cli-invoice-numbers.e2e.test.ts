import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startRestartableSyncServer } from '../core/sync/client/testing/restartable-sync-server.js';
import type { RestartableSyncServer } from '../core/sync/client/testing/restartable-sync-server.js';
import { cliFailed, cliOk, keychainScratch } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';

/**
 * `coffer invoice issue` in a vault synced with a workspace takes the number from the sync
 * server (a child process, TLS 1.3, pinned); in a local-only vault it numbers locally.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-invoice-numbers-');
const PASSWORD = 'walnut ember compass 19';

let server: RestartableSyncServer;
beforeAll(async () => {
  server = await startRestartableSyncServer();
}, 120_000);
afterAll(async () => server?.stop());

const draft = async (vault: string, work: string): Promise<string> =>
  String(
    (
      await cliOk(vault, [
        'invoice',
        'create',
        '--client',
        'Northwind',
        '--line',
        `${work}|1|450.00`,
      ])
    )['id'],
  );

const issue = async (vault: string, id: string): Promise<string> =>
  String((await cliOk(vault, ['invoice', 'issue', id]))['number']);

const number = (n: number): string => `INV-${String(n).padStart(4, '0')}`;

describe('invoice numbers through the CLI', { timeout: 600_000 }, () => {
  it('two synced devices issuing at once share one series; offline the draft stays a draft', async () => {
    const address = `cli-numbers-${process.pid}@example.test`;
    const laptop = await initScratchVault(scratch, 'laptop');
    const registered = await cliOk(
      laptop,
      ['sync', 'register', ...accountArgs(server, address)],
      `${PASSWORD}\n`,
    );
    await cliOk(laptop, ['workspace', 'create', '--name', 'Studio']);
    await cliOk(laptop, ['client', 'add', '--name', 'Northwind', '--currency', 'EUR']);
    await cliOk(laptop, ['sync']);
    const desktop = await initScratchVault(scratch, 'desktop');
    await cliOk(
      desktop,
      ['sync', 'login', ...accountArgs(server, address), '--recovery-key-stdin'],
      `${PASSWORD}\n${String(registered['recoveryKey'])}\n`,
    );
    await cliOk(desktop, ['sync']);

    const drafts = {
      laptop: [await draft(laptop, 'Logo'), await draft(laptop, 'Poster')],
      desktop: [await draft(desktop, 'Website'), await draft(desktop, 'Brochure')],
    };
    // Each device issues its drafts one after the other, both devices at once.
    const issueAll = async (vault: string, ids: string[]): Promise<string[]> => {
      const numbers: string[] = [];
      for (const id of ids) numbers.push(await issue(vault, id));
      return numbers;
    };
    const [fromLaptop, fromDesktop] = await Promise.all([
      issueAll(laptop, drafts.laptop),
      issueAll(desktop, drafts.desktop),
    ]);
    expect([...fromLaptop, ...fromDesktop].sort()).toEqual([1, 2, 3, 4].map(number));

    // Offline: a clear code, and the draft is as it was.
    const waiting = await draft(desktop, 'Flyer');
    await server.kill('SIGKILL');
    try {
      const before = await cliOk(desktop, ['invoice', 'show', waiting]);
      const offline = await cliFailed(desktop, ['invoice', 'issue', waiting]);
      expect(offline.code).toBe(1);
      expect(offline.error.code).toBe('SERVER_UNREACHABLE');
      expect(offline.error.message).toContain('still a draft');
      expect(await cliOk(desktop, ['invoice', 'show', waiting])).toEqual(before);
      expect(before).toMatchObject({ status: 'draft', number: null });
    } finally {
      await server.restart();
    }
    expect(await issue(desktop, waiting)).toBe(number(5));
  });

  it('a local-only vault numbers its invoices itself', async () => {
    const local = await initScratchVault(scratch, 'local');
    await cliOk(local, ['client', 'add', '--name', 'Northwind', '--currency', 'EUR']);
    expect(await issue(local, await draft(local, 'Logo'))).toBe(number(1));
    expect(await issue(local, await draft(local, 'Poster'))).toBe(number(2));
  });
});
