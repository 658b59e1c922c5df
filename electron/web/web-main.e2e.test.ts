import { spawn, type ChildProcessByStdio } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { AppSession } from '../core/api/app-session.js';
import { tsEntryArgs } from '../core/testing/ts-entry.js';
import { requireSecretService } from '../core/vault/test-fixtures/keychain-test-support.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { readVaultManifest } from '../core/vault/vault-files.js';
import { openApiSocket, rawGet, signIn, tokenOf } from './testing/web-client.js';

// Run as the test run bundles it (tsEntryArgs). Every start that serves passes --renderer: the
// bundle lives outside the source tree, so main.ts's own path to the renderer build is not
// the one it has in the repository.
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

type WebChild = ChildProcessByStdio<null, Readable, Readable> & {
  stdout: Readable;
  stderr: Readable;
};

interface Running {
  child: WebChild;
  url: string;
  output: () => { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function scratch(): { root: string; vault: string; renderer: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-web-main-'));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  const renderer = path.join(root, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Coffer</title>\n');
  return { root, vault: path.join(root, 'vault'), renderer };
}

/** Starts `npm run start:web`'s entry point and waits for the line with the address. */
function startWeb(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, [...tsEntryArgs(MAIN), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as WebChild;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      stdout += d;
      const match = /Coffer is running in web mode: open (\S+)\n/.exec(stdout);
      if (match?.[1] !== undefined) {
        resolve({ child, url: match[1], output: () => ({ stdout, stderr }), exited });
      }
    });
    void exited.then(({ code }) =>
      reject(new Error(`start:web exited (${code}) before printing its address: ${stderr}`)),
    );
  });
}

/**
 * `npm run start:web` end to end: a child process, the real OS keychain (gnome-keyring under
 * with-keyring.sh), a real SQLCipher vault.
 * @module-tag secret-service
 */
describe('start:web (child process, real keychain)', { timeout: 120_000 }, () => {
  beforeAll(requireSecretService);

  it('prints the address, serves the vault with its key in the keychain, and closes it on SIGTERM', async () => {
    const { vault, renderer } = scratch();
    const web = await startWeb(['--vault', vault, '--renderer', renderer]);
    const port = Number(new URL(web.url).port);
    expect(web.url).toMatch(/^http:\/\/localhost:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect((await rawGet(port, '/')).status).toBe(401);

    const cookie = await signIn(port, web.url);
    const page = await rawGet(port, '/', { cookie });
    expect(page.body).toContain('<title>Coffer</title>');
    const socket = await openApiSocket(port, { cookie, origin: `http://localhost:${port}` });
    expect(await socket.call(1, 'app', 'status')).toMatchObject({
      ok: true,
      value: { vault: 'missing', vaultDir: vault, host: 'web' },
    });
    expect(await socket.call(2, 'app', 'createVault')).toMatchObject({ ok: true });
    const { vaultId, keyStore } = readVaultManifest(vault);
    expect(keyStore).toBe('keychain');
    const keychain = new KeychainKeyStore();
    cleanups.push(async () => void (await keychain.delete(vaultId)));
    expect(await keychain.get(vaultId)).toHaveLength(32);

    web.child.kill('SIGTERM');
    expect(await web.exited).toEqual({ code: 0, signal: null });
    expect((await socket.closed).code).toBe(1001);
    const { stderr } = web.output();
    expect(stderr).toContain('SIGTERM: closing the vault');
    // The token is printed once, on stdout, for the user: never in the log.
    expect(stderr).not.toContain(tokenOf(web.url));

    // Closed cleanly: another process opens it with the key from the keychain.
    const again = new AppSession({ vaultDir: vault, keyStore: keychain, host: 'web' });
    expect(await again.openVault()).toMatchObject({ vault: 'open' });
    again.closeVault();
  });

  it('takes the vault from COFFER_VAULT and the port from --port; a new launch has a new token', async () => {
    const { vault, renderer } = scratch();
    const first = await startWeb(['--renderer', renderer, '--port', '0'], { COFFER_VAULT: vault });
    const firstPort = Number(new URL(first.url).port);
    first.child.kill('SIGINT');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = await startWeb(['--renderer', renderer, '--port', String(firstPort)], {
      COFFER_VAULT: vault,
    });
    expect(new URL(second.url).port).toBe(String(firstPort));
    expect(tokenOf(second.url)).not.toBe(tokenOf(first.url));
    // The first launch's token opens nothing now.
    const stale = await rawGet(firstPort, `/?token=${tokenOf(first.url)}`);
    expect(stale.status).toBe(401);
    const cookie = await signIn(firstPort, second.url);
    const socket = await openApiSocket(firstPort, {
      cookie,
      origin: `http://localhost:${firstPort}`,
    });
    expect(await socket.call(1, 'app', 'status')).toMatchObject({
      ok: true,
      value: { vaultDir: vault },
    });
    socket.close();
  });

  it('answers --help and refuses a bad argument with exit status 2', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [...tsEntryArgs(MAIN), ...args]);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run start:web');
    expect(help.stdout).toContain('~/.config/Coffer/vault');
    const bad = await run(['--port', 'eighty']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port needs a port number');
    expect(bad.stdout).toBe('');
  });
});
