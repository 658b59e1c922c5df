import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoDriverText } from '../core/testing/driver-text.js';
import { createCoreServices } from '../core/core-services.js';
import { KeyFileKeyStore } from '../core/vault/key-file.key-store.js';
import { holdVault } from '../core/vault/test-fixtures/vault-holder.js';
import { createVault } from '../core/vault/vault.js';
import { vaultDbPath } from '../core/vault/vault-files.js';
import { runCli } from './cli.js';
import { memoryIo } from './testing/memory-io.js';
import { runCliProcess, type CliProcessOptions } from './testing/run-cli-process.js';

/**
 * Proof that a vault failing for real — a write lock held by another process, a damaged
 * page, a read-only file or directory, a file size limit, a row the schema refuses — reaches
 * the user as a Coffer code and message, with none of the SQLite driver's text, and that the
 * failed command changed nothing. A key file keeps these independent of the keychain, but
 * the tag rule counts every test that runs the coffer process.
 * @module-tag secret-service
 */
const roots: string[] = [];
afterEach(() => {
  while (roots.length > 0) {
    const root = roots.pop() as string;
    fs.chmodSync(root, 0o700);
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) fs.chmodSync(join(entry.parentPath, entry.name), 0o700);
    }
    fs.rmSync(root, { recursive: true, force: true });
  }
});

interface Setup {
  root: string;
  dir: string;
  keyFile: string;
  base: string[];
}

/** A vault with one account, "Cash" (unless told not to), and `transactions` transactions in it. */
async function vaultWithBooks(transactions = 0, { account = true } = {}): Promise<Setup> {
  const root = fs.mkdtempSync(join(tmpdir(), 'coffer-vault-errors-'));
  roots.push(root);
  const dir = join(root, 'vault');
  const keyFile = join(root, 'coffer.key');
  const vault = await createVault({ dir, keyStore: new KeyFileKeyStore(keyFile) });
  const services = createCoreServices(vault);
  if (account) services.accounts.create({ name: 'Cash', currency: 'USD', kind: 'cash' });
  services.transactions.createMany(
    Array.from({ length: transactions }, (_, i) => ({
      accountId: 'Cash',
      date: '2026-01-02',
      amountMinor: -100 - i,
      notes: `note ${i} ${'x'.repeat(100)}`,
    })),
  );
  vault.close();
  return { root, dir, keyFile, base: ['--vault', dir, '--key-file', keyFile, '--json'] };
}

/** Runs with COFFER_DEBUG=1 too: the debug trace must not quote the driver either. */
async function cli(setup: Setup, ...args: string[]): Promise<{ code: number; error: unknown }> {
  const io = memoryIo();
  io.env = { COFFER_DEBUG: '1' };
  const code = await runCli([...setup.base, ...args], io);
  expectNoDriverText(io.err);
  expect(io.out).toBe('');
  return { code, error: parseError(io.err) };
}

/** The `{"error":…}` line of --json stderr (the key-file warning precedes it). */
function parseError(stderr: string): unknown {
  const line = stderr.split('\n').find((l) => l.startsWith('{"error"'));
  return line === undefined ? undefined : (JSON.parse(line) as unknown);
}

function accountNames(setup: Setup): Promise<string[]> {
  return (async () => {
    const io = memoryIo();
    expect(await runCli([...setup.base, 'account', 'list'], io)).toBe(0);
    return (JSON.parse(io.out) as { accounts: { name: string }[] }).accounts.map((a) => a.name);
  })();
}

describe('vault failures reach the user as Coffer errors (no driver text)', () => {
  it('a write lock held by another process: VAULT_LOCKED, nothing written', async () => {
    const setup = await vaultWithBooks();
    const holder = await holdVault('write-lock', setup.dir, setup.keyFile);
    try {
      const run = await cli(setup, 'account', 'add', '--name', 'Savings', '--currency', 'USD');
      expect(run).toEqual({
        code: 1,
        error: { error: { code: 'VAULT_LOCKED', message: expect.any(String) as unknown } },
      });
    } finally {
      await holder.release();
    }
    expect(await accountNames(setup)).toEqual(['Cash']);
  });

  it('a damaged page: VAULT_CORRUPT', async () => {
    const setup = await vaultWithBooks(3000);
    const file = vaultDbPath(setup.dir);
    const bytes = fs.readFileSync(file);
    const pages = bytes.length / 4096;
    // The second half: the transactions written last. Page 1 and the schema stay intact.
    for (let page = Math.floor(pages / 2); page < pages; page++) {
      bytes.fill(0x41, page * 4096 + 100, page * 4096 + 200);
    }
    fs.writeFileSync(file, bytes);
    const run = await cli(setup, 'tx', 'list', '--account', 'Cash');
    expect(run).toMatchObject({ code: 1, error: { error: { code: 'VAULT_CORRUPT' } } });
  });

  it('a row the schema refuses (an export holding one id twice): INVALID_INPUT naming the row, nothing imported', async () => {
    const source = await vaultWithBooks(2);
    const exported = join(source.root, 'export.json');
    expect(await runCli([...source.base, 'export', '--out', exported], memoryIo())).toBe(0);
    const doc = JSON.parse(fs.readFileSync(exported, 'utf8')) as {
      collections: Record<string, unknown[]>;
    };
    const transactions = doc.collections['transactions'] as unknown[];
    transactions.push(transactions[0]);
    fs.writeFileSync(exported, JSON.stringify(doc));

    const target = await vaultWithBooks(0, { account: false });
    const run = await cli(target, 'import', 'export', exported);
    expect(run).toMatchObject({
      code: 1,
      error: {
        error: {
          code: 'INVALID_INPUT',
          message: expect.stringMatching(/^collections\.transactions\[2\]: /) as unknown,
          details: { cause: 'DUPLICATE' },
        },
      },
    });
    expect(await accountNames(target)).toEqual([]);
  });

  it('a read-only vault file, then a read-only vault directory: VAULT_READ_ONLY, nothing written', async () => {
    const setup = await vaultWithBooks();
    const readOnly = readOnlyUser(setup);
    const asUser = readOnly.options;
    fs.chmodSync(vaultDbPath(setup.dir), 0o400);
    const add = ['account', 'add', '--name', 'Savings', '--currency', 'USD'];
    const fileRun = await runCliProcess([...setup.base, ...add], asUser);
    expectNoDriverText(fileRun.stderr);
    expect(fileRun.code).toBe(1);
    expect(parseError(fileRun.stderr)).toMatchObject({ error: { code: 'VAULT_READ_ONLY' } });

    fs.chmodSync(vaultDbPath(setup.dir), 0o600);
    fs.chmodSync(setup.dir, 0o500);
    const dirRun = await runCliProcess([...setup.base, ...add], asUser);
    expectNoDriverText(dirRun.stderr);
    expect(dirRun.code).toBe(1);
    expect(parseError(dirRun.stderr)).toMatchObject({ error: { code: 'VAULT_READ_ONLY' } });

    fs.chmodSync(setup.dir, 0o700);
    readOnly.restore();
    expect(await accountNames(setup)).toEqual(['Cash']);
  });

  it('a write past the file size limit (EFBIG): VAULT_IO_ERROR, nothing imported', async () => {
    const setup = await vaultWithBooks();
    const csv = join(setup.root, 'statement.csv');
    const lines = Array.from({ length: 5000 }, (_, i) => `2026-01-02,-${i + 1}.00,Payee ${i}`);
    fs.writeFileSync(csv, ['Date,Amount,Description', ...lines].join('\n'));
    const dbKiB = Math.ceil(fs.statSync(vaultDbPath(setup.dir)).size / 1024);
    const run = await runCliProcess([...setup.base, 'import', 'csv', csv, '--account', 'Cash'], {
      fileSizeLimitKiB: Math.max(dbKiB, 64) + 256,
    });
    expectNoDriverText(run.stderr);
    expect(run.code).toBe(1);
    expect(parseError(run.stderr)).toMatchObject({ error: { code: 'VAULT_IO_ERROR' } });
    const io = memoryIo();
    expect(await runCli([...setup.base, 'tx', 'list', '--account', 'Cash'], io)).toBe(0);
    expect((JSON.parse(io.out) as { transactions: unknown[] }).transactions).toEqual([]);
  });
});

/**
 * File modes do not bind root; a test running as root hands the vault to `nobody` and runs
 * the command as that user, so the modes are what a normal user meets. `restore` gives the
 * files back.
 */
function readOnlyUser(setup: Setup): { options: CliProcessOptions; restore: () => void } {
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (uid !== 0 || gid === undefined) return { options: {}, restore: () => undefined };
  const nobody = 65_534;
  const chownAll = (owner: number, group: number) => {
    fs.chownSync(setup.root, owner, group);
    for (const entry of fs.readdirSync(setup.root, { recursive: true, withFileTypes: true })) {
      fs.chownSync(join(entry.parentPath, entry.name), owner, group);
    }
  };
  chownAll(nobody, nobody);
  return {
    options: { user: { uid: nobody, gid: nobody }, env: { HOME: setup.root } },
    restore: () => chownAll(uid, gid),
  };
}
