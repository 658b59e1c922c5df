import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { runServerCommand, spawnServerProcess } from './support/spawn-server-process.js';
import type { ServerProcess } from './support/spawn-server-process.js';

interface Scratch {
  root: string;
  dataDir: string;
  start: (args?: string[], env?: Record<string, string>) => Promise<ServerProcess>;
}

/** A temp dir and a server starter for one test; both are cleaned up when the test ends. */
async function scratch(onFinished: (fn: () => Promise<void>) => void): Promise<Scratch> {
  const root = await mkdtemp(path.join(tmpdir(), 'coffer-startup-'));
  const dataDir = path.join(root, 'data');
  const started: ServerProcess[] = [];
  onFinished(async () => {
    for (const server of started) await server.stop('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });
  return {
    root,
    dataDir,
    start: async (args = [], env = {}) => {
      const server = await spawnServerProcess({ dataDir, args: ['--port', '0', ...args], env });
      started.push(server);
      return server;
    },
  };
}

function requestJson(
  method: string,
  url: string,
  ca: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = https.request(
      url,
      { method, ca, headers: payload === undefined ? {} : { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }),
        );
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

const mode = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

// Each test spawns real processes (about a second each); they run side by side.
describe.concurrent('npm run server (main.ts)', { timeout: 180_000 }, () => {
  it('creates the data dir, database, certificate and master key, and reuses them on restart', async ({
    onTestFinished,
  }) => {
    const { dataDir, start } = await scratch(onTestFinished);
    const first = await start();
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(first.port).toBeGreaterThan(0);
    expect(first.stdout).toContain(`fingerprint: sha256:${first.fingerprint}`);
    expect(first.stdout).toContain(`mail: outbox ${path.join(dataDir, 'outbox')}`);

    expect(await mode(dataDir)).toBe(0o700);
    expect(await mode(path.join(dataDir, 'coffer-server.db'))).toBe(0o600);
    expect(await mode(path.join(dataDir, 'tls', 'server.key'))).toBe(0o600);
    const keyFile = `${dataDir}.master-key`;
    expect(await mode(keyFile)).toBe(0o600);
    const key = await readFile(keyFile, 'utf8');
    expect(Buffer.from(key.trim(), 'base64')).toHaveLength(32);

    const cert = await readFile(path.join(dataDir, 'tls', 'server.crt'), 'utf8');
    expect((await requestJson('GET', `${first.url}/v1/health`, cert)).body).toMatchObject({
      status: 'ok',
    });
    const account = {
      email: 'restart@example.test',
      password: 'violet anchor meadow 42',
      deviceName: 'Test',
    };
    expect((await requestJson('POST', `${first.url}/v1/auth/register`, cert, account)).status).toBe(
      201,
    );

    const stopped = await first.stop('SIGTERM');
    expect(stopped.code).toBe(0);

    // Data written while stopped is there after the restart; the key and cert are the same.
    const db = new Database(path.join(dataDir, 'coffer-server.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const keyId = db.prepare("SELECT value FROM server_meta WHERE key = 'master_key_id'").get();
    db.prepare("INSERT INTO server_meta (key, value) VALUES ('restart-test', 'kept')").run();
    db.close();

    const second = await start();
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(await readFile(keyFile, 'utf8')).toBe(key);
    expect(await readFile(path.join(dataDir, 'tls', 'server.crt'), 'utf8')).toBe(cert);
    // The account made before the restart logs in: database and master key were reused.
    const login = await requestJson('POST', `${second.url}/v1/auth/login`, cert, account);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user: { email: account.email } });
    expect((await second.stop('SIGINT')).code).toBe(0);
    const again = new Database(path.join(dataDir, 'coffer-server.db'), { readonly: true });
    expect(
      again.prepare("SELECT value FROM server_meta WHERE key = 'master_key_id'").get(),
    ).toEqual(keyId);
    expect(again.prepare("SELECT value FROM server_meta WHERE key = 'restart-test'").get()).toEqual(
      { value: 'kept' },
    );
    again.close();
  });

  it('takes its settings from COFFER_SERVER_* variables, and flags win over them', async ({
    onTestFinished,
  }) => {
    const { root, dataDir } = await scratch(onTestFinished);
    const keyFile = path.join(root, 'elsewhere.key');
    const server = await spawnServerProcess({
      args: ['--port', '0'],
      env: {
        COFFER_SERVER_DATA_DIR: dataDir,
        COFFER_SERVER_PORT: '1',
        COFFER_SERVER_KEY_FILE: keyFile,
      },
    });
    onTestFinished(async () => {
      await server.stop('SIGKILL');
    });
    expect(server.port).not.toBe(1);
    expect(await mode(keyFile)).toBe(0o600);
  });

  it('answers on --http-port with a 301 to the https URL and the same path', async ({
    onTestFinished,
  }) => {
    const { start } = await scratch(onTestFinished);
    const server = await start(['--http-port', '0']);
    expect(server.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${server.httpUrl}/v1/me/sessions?x=1`, resolve).on('error', reject);
    });
    answer.resume();
    expect(answer.statusCode).toBe(301);
    expect(answer.headers.location).toBe(`${server.url}/v1/me/sessions?x=1`);
  });

  it('refuses a master key file other users can read', async ({ onTestFinished }) => {
    const { root, dataDir } = await scratch(onTestFinished);
    const keyFile = path.join(root, 'loose.key');
    await writeFile(keyFile, `${Buffer.alloc(32, 7).toString('base64')}\n`);
    await chmod(keyFile, 0o644);
    const result = await runServerCommand({
      dataDir,
      args: ['--port', '0', '--key-file', keyFile],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/accessible by other users/);
    expect(result.stdout).not.toMatch(/listening on/);
  });

  it('refuses a master key file inside the data dir', async ({ onTestFinished }) => {
    const { dataDir } = await scratch(onTestFinished);
    const result = await runServerCommand({
      dataDir,
      args: ['--port', '0', '--key-file', path.join(dataDir, 'master.key')],
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/inside the data dir/);
  });

  it('exits 2 with a clear message on bad configuration', async ({ onTestFinished }) => {
    const { dataDir } = await scratch(onTestFinished);
    const badPort = await runServerCommand({ dataDir, args: ['--port', 'eighty'] });
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port must be a number/);

    const noDir = await runServerCommand({ args: [] });
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toMatch(/--data-dir \(or COFFER_SERVER_DATA_DIR\) is required/);

    const unknown = await runServerCommand({ dataDir, args: ['--colour', 'red'] });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--colour/);

    const badEnv = await runServerCommand({ dataDir, env: { COFFER_SERVER_SMTP_URL: 'ftp://x' } });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(/--smtp-url must be a URL/);
  });

  it('refuses a second server on the same data dir', async ({ onTestFinished }) => {
    const { dataDir, start } = await scratch(onTestFinished);
    await start();
    const second = await runServerCommand({ dataDir, args: ['--port', '0'] });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Another Coffer server process/);
  });

  it('rotate-master-key replaces the key file and the server starts with the new key', async ({
    onTestFinished,
  }) => {
    const { dataDir, start } = await scratch(onTestFinished);
    const first = await start();
    const cert = await readFile(path.join(dataDir, 'tls', 'server.crt'), 'utf8');
    const account = {
      email: 'rotate@example.test',
      password: 'violet anchor meadow 42',
      deviceName: 'Test',
    };
    expect((await requestJson('POST', `${first.url}/v1/auth/register`, cert, account)).status).toBe(
      201,
    );
    await first.stop();
    const keyFile = `${dataDir}.master-key`;
    const before = await readFile(keyFile, 'utf8');

    const rotation = await runServerCommand({ dataDir, args: ['rotate-master-key'] });
    expect(rotation.stderr).toBe('');
    expect(rotation.code).toBe(0);
    expect(rotation.stdout).toMatch(/^rotated master key [0-9a-f]{16} -> [0-9a-f]{16}/);
    const after = await readFile(keyFile, 'utf8');
    expect(after).not.toBe(before);
    expect(await mode(keyFile)).toBe(0o600);

    const second = await start();
    expect(second.fingerprint).toBe(first.fingerprint);
    // The email was re-encrypted and its lookup hash recomputed under the new key.
    expect((await requestJson('POST', `${second.url}/v1/auth/login`, cert, account)).status).toBe(
      200,
    );
  });
});
