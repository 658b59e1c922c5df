import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdVault } from '../core/vault/test-fixtures/vault-holder.js';
import { runCli } from './cli.js';
import { memoryIo } from './testing/memory-io.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

describe('yearly key rotation on open', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('rotates a key older than a year the next time the vault is opened, not before', async () => {
    root = mkdtempSync(join(tmpdir(), 'coffer-rotate-'));
    // A key file keeps this test independent of the keychain; the rotation path is the same.
    const base = ['--vault', join(root, 'v'), '--key-file', join(root, 'k'), '--json'];
    expect(await runCli([...base, 'init'], memoryIo(T0))).toBe(0);

    const early = memoryIo(T0 + 300 * DAY);
    expect(await runCli([...base, 'status'], early)).toBe(0);
    expect(JSON.parse(early.out)).toMatchObject({ keyAgeDays: 300 });
    expect(early.err).not.toContain('rotated');

    const late = memoryIo(T0 + 366 * DAY);
    expect(await runCli([...base, 'status'], late)).toBe(0);
    expect(late.err).toContain('rotated');
    expect(JSON.parse(late.out)).toMatchObject({ keyAgeDays: 0 });
  });

  it('never fails a command while another process has the vault open: it rotates at a later open', async () => {
    root = mkdtempSync(join(tmpdir(), 'coffer-rotate-busy-'));
    const dir = join(root, 'v');
    const keyFile = join(root, 'k');
    const base = ['--vault', dir, '--key-file', keyFile, '--json'];
    expect(await runCli([...base, 'init'], memoryIo(T0))).toBe(0);
    const keyBefore = readFileSync(keyFile, 'utf8');

    const holder = await holdVault('open', dir, keyFile);
    try {
      for (const args of [['status'], ['account', 'add', '--name', 'Cash', '--currency', 'USD']]) {
        const busy = memoryIo(T0 + 366 * DAY);
        busy.env = { COFFER_DEBUG: '1' };
        expect(await runCli([...base, ...args], busy), busy.err).toBe(0);
        expect(busy.err).not.toContain('rotated');
        expect(busy.err).not.toMatch(/rotation did not complete|VAULT_LOCKED/);
        expect(busy.err.match(/rotation waits/g)).toHaveLength(1); // one debug note
      }
      const quiet = memoryIo(T0 + 366 * DAY);
      expect(await runCli([...base, 'status'], quiet)).toBe(0);
      expect(quiet.err).not.toMatch(/rotation|rotated/); // without COFFER_DEBUG: nothing at all
      expect(JSON.parse(quiet.out)).toMatchObject({ keyAgeDays: 366 });
      expect(readFileSync(keyFile, 'utf8')).toBe(keyBefore);
    } finally {
      await holder.release();
    }

    const later = memoryIo(T0 + 367 * DAY);
    expect(await runCli([...base, 'status'], later)).toBe(0);
    expect(later.err).toContain('rotated');
    expect(JSON.parse(later.out)).toMatchObject({ keyAgeDays: 0 });
    expect(readFileSync(keyFile, 'utf8')).not.toBe(keyBefore);
    const accounts = memoryIo(T0 + 367 * DAY);
    expect(await runCli([...base, 'account', 'list'], accounts)).toBe(0);
    expect(JSON.parse(accounts.out)).toMatchObject({ accounts: [{ name: 'Cash' }] });
  });
});
