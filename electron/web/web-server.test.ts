// Web mode's server, real on loopback: the token, the cookie, the Host and Origin checks,
// static files that never leave the renderer folder, and the API over a real WebSocket.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { CONTENT_SECURITY_POLICY } from '../../shared/app/content-security-policy.js';
import { MemoryKeyStore } from '../core/vault/memory.key-store.js';
import {
  openApiSocket,
  rawGet,
  RefusedUpgrade,
  signIn,
  tokenOf,
  type ApiSocket,
} from './testing/web-client.js';
import { startWebServer, type WebServer } from './web-server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface Started {
  server: WebServer;
  port: number;
  root: string;
  /** Text of a file beside (outside) the renderer folder, which no request may read. */
  secret: string;
  internalErrors: unknown[];
}

async function start(options: { maxMessageBytes?: number } = {}): Promise<Started> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-web-'));
  const rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    '<!doctype html><title>Coffer</title><script type="module" src="./assets/app.js"></script>\n',
  );
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'export const app = 1;\n');
  fs.writeFileSync(path.join(rendererDir, '.env'), 'hidden\n');
  const secret = `outside-${randomBytes(16).toString('hex')}`;
  fs.writeFileSync(path.join(root, 'secret.txt'), secret);
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(rendererDir, 'assets', 'leak.txt'));
  const internalErrors: unknown[] = [];
  const server = await startWebServer({
    vaultDir: path.join(root, 'vault'),
    keyStore: new MemoryKeyStore(),
    rendererDir,
    onInternalError: (error) => internalErrors.push(error),
    ...options,
  });
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  cleanups.push(() => server.close());
  return { server, port: server.port, root, secret, internalErrors };
}

/** The same token with its first character changed: never equal to it. */
function forged(token: string): string {
  const first = token[0] === 'A' ? 'B' : 'A';
  return `${first}${token.slice(1)}`;
}

async function signedInSocket(port: number, url: string): Promise<ApiSocket> {
  const cookie = await signIn(port, url);
  const socket = await openApiSocket(port, { cookie, origin: `http://localhost:${port}` });
  cleanups.push(() => socket.close());
  return socket;
}

async function upgradeStatus(
  port: number,
  options: Parameters<typeof openApiSocket>[1],
): Promise<number> {
  try {
    const socket = await openApiSocket(port, options);
    socket.close();
    return 101;
  } catch (error) {
    if (error instanceof RefusedUpgrade) return error.status;
    throw error;
  }
}

describe('web mode: the launch token', () => {
  it('prints a localhost URL with a fresh 256-bit base64url token on every launch', async () => {
    const a = await start();
    const b = await start();
    expect(a.server.url).toMatch(/^http:\/\/localhost:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(new URL(a.server.url).port).toBe(String(a.port));
    expect(Buffer.from(tokenOf(a.server.url), 'base64url')).toHaveLength(32);
    expect(tokenOf(a.server.url)).not.toBe(tokenOf(b.server.url));
  });

  it('answers nothing without the token: pages, assets, the API and its WebSocket get 401', async () => {
    const { port } = await start();
    for (const url of ['/', '/index.html', '/assets/app.js', '/api', '/nope']) {
      const response = await rawGet(port, url);
      expect(response.status, url).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      expect(response.body).not.toContain('Coffer</title>');
      expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(await upgradeStatus(port, { origin: `http://localhost:${port}` })).toBe(401);
  });

  it('refuses a wrong token, a wrong cookie, and another launch’s token', async () => {
    const { server, port } = await start();
    const other = await start();
    const token = tokenOf(server.url);
    const wrong = [forged(token), token.slice(0, -1), `${token}A`, '', tokenOf(other.server.url)];
    for (const candidate of wrong) {
      expect(candidate).not.toBe(token);
      const visit = await rawGet(port, `/?token=${encodeURIComponent(candidate)}`);
      expect(visit.status, candidate).toBe(401);
      expect(visit.headers['set-cookie']).toBeUndefined();
      const withCookie = await rawGet(port, '/', { cookie: `coffer-token=${candidate}` });
      expect(withCookie.status, candidate).toBe(401);
      expect(
        await upgradeStatus(port, {
          cookie: `coffer-token=${candidate}`,
          origin: `http://localhost:${port}`,
        }),
      ).toBe(401);
    }
    // The other launch's own cookie does not open this one either.
    const otherCookie = await signIn(other.port, other.server.url);
    expect((await rawGet(port, '/', { cookie: otherCookie })).status).toBe(401);
  });

  it('swaps the right token for an HttpOnly SameSite=Strict cookie and a 303 without it', async () => {
    const { server, port } = await start();
    const token = tokenOf(server.url);
    const visit = await rawGet(port, `/?token=${token}`);
    expect(visit.status).toBe(303);
    expect(visit.headers.location).toBe('/');
    const [cookie] = visit.headers['set-cookie'] ?? [];
    expect(cookie).toBe(`coffer-token=${token}; HttpOnly; SameSite=Strict; Path=/`);

    const deep = await rawGet(port, `/index.html?x=1&token=${token}`);
    expect(deep.status).toBe(303);
    expect(deep.headers.location).toBe('/index.html?x=1');
    // A path that a browser would read as another host never becomes the Location.
    for (const sneaky of ['//evil.example/', '/\\evil.example/']) {
      const redirect = await rawGet(port, `${sneaky}?token=${token}`);
      expect(redirect.status).toBe(303);
      expect(redirect.headers.location).toBe('/');
    }
  });

  it('serves the page and its assets with the CSP and the hardening headers once signed in', async () => {
    const { server, port } = await start();
    const cookie = await signIn(port, server.url);
    const page = await rawGet(port, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Coffer</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');

    const script = await rawGet(port, '/assets/app.js', { cookie });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(script.body).toBe('export const app = 1;\n');

    // Only `/` is index.html: an unknown path is a 404, not the page.
    for (const url of ['/nope', '/accounts', '/assets/missing.js', '/.env', '/assets/']) {
      const missing = await rawGet(port, url, { cookie });
      expect(missing.status, url).toBe(404);
      expect(missing.body).not.toContain('<title>');
      expect(missing.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    const origin = `http://localhost:${port}`;
    expect((await rawGet(port, '/api', { cookie, origin })).status).toBe(426);
    expect((await rawGet(port, '/api', { cookie })).status).toBe(403);
  });
});

describe('web mode: where it listens', () => {
  it('refuses a non-loopback address and a port in use, leaving the running server alone', async () => {
    const { server, port, root } = await start();
    const base = {
      vaultDir: path.join(root, 'vault2'),
      keyStore: new MemoryKeyStore(),
      rendererDir: path.join(root, 'renderer'),
    };
    await expect(startWebServer({ ...base, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    await expect(startWebServer({ ...base, port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const cookie = await signIn(port, server.url);
    expect((await rawGet(port, '/', { cookie })).status).toBe(200);
  });
});

describe('web mode: other hosts and origins', () => {
  it('refuses any Host but localhost:PORT and 127.0.0.1:PORT (DNS rebinding)', async () => {
    const { server, port } = await start();
    const cookie = await signIn(port, server.url);
    const token = tokenOf(server.url);
    for (const host of ['localhost', '127.0.0.1', `localhost:${port}`, `127.0.0.1:${port}`]) {
      const expected = host.includes(':') ? 200 : 403;
      expect((await rawGet(port, '/', { cookie, host })).status, host).toBe(expected);
    }
    for (const host of [
      `evil.example:${port}`,
      `localhost:${port + 1}`,
      `localhost.evil.example:${port}`,
      `127.0.0.2:${port}`,
      `[::1]:${port}`,
    ]) {
      const withCookie = await rawGet(port, '/', { cookie, host });
      expect(withCookie.status, host).toBe(403);
      expect(JSON.parse(withCookie.body)).toMatchObject({ error: { code: 'HOST_NOT_ALLOWED' } });
      const withToken = await rawGet(port, `/?token=${token}`, { host });
      expect(withToken.status, host).toBe(403);
      expect(withToken.headers['set-cookie']).toBeUndefined();
      expect(await upgradeStatus(port, { cookie, host, origin: `http://localhost:${port}` })).toBe(
        403,
      );
    }
  });

  it('opens the API WebSocket only for its own origin, and only with the cookie', async () => {
    const { server, port } = await start();
    const cookie = await signIn(port, server.url);
    expect(await upgradeStatus(port, { cookie, origin: `http://localhost:${port}` })).toBe(101);
    expect(await upgradeStatus(port, { cookie, origin: `http://127.0.0.1:${port}` })).toBe(101);
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${port}`,
      `http://localhost:${port + 1}`,
      `https://localhost:${port}`,
      'null',
    ]) {
      expect(await upgradeStatus(port, { cookie, origin }), origin).toBe(403);
    }
    expect(await upgradeStatus(port, { cookie })).toBe(403);
    expect(await upgradeStatus(port, { origin: `http://localhost:${port}` })).toBe(401);
    // No other path upgrades, and a URL the router cannot read is refused too.
    const origin = `http://localhost:${port}`;
    expect(await upgradeStatus(port, { cookie, origin, path: '/' })).toBe(404);
    expect(await upgradeStatus(port, { cookie, origin, path: '/index.html' })).toBe(404);
    expect(await upgradeStatus(port, { cookie, origin, path: '/%' })).toBe(400);
  });
});

describe('web mode: static files stay inside the renderer folder', () => {
  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/.%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%252e%252e/secret.txt',
    '/index.html%00.js',
    '/assets/leak.txt',
    '//secret.txt',
    '/%',
    '/%c0%ae%c0%ae/secret.txt',
  ])('%s is refused and reads nothing outside', async (url) => {
    const { server, port, root, secret } = await start();
    const cookie = await signIn(port, server.url);
    const response = await rawGet(port, url, { cookie });
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain(secret);
    expect(JSON.parse(response.body)).toHaveProperty('error.code');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    // The file is there to be read: only the resolver stands in the way.
    expect(fs.readFileSync(path.join(root, 'secret.txt'), 'utf8')).toBe(secret);
  });
});

describe('web mode: the API over the WebSocket', () => {
  it('answers app.status, and bad calls with their codes', async () => {
    const { server, port } = await start();
    const socket = await signedInSocket(port, server.url);
    expect(await socket.call(1, 'app', 'status')).toMatchObject({
      ok: true,
      value: { vault: 'missing', host: 'web', locked: false },
    });
    expect(await socket.call(2, 'app', 'status', { extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await socket.call(3, 'app', 'noSuchMethod')).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_METHOD' },
    });
    expect(await socket.call(4, 'accounts', 'list')).toMatchObject({
      ok: false,
      error: { code: 'VAULT_CLOSED' },
    });
  });

  it('keeps serving after garbage frames, and answers a malformed call that has an id', async () => {
    const { server, port, internalErrors } = await start();
    const socket = await signedInSocket(port, server.url);
    for (const frame of ['not json', '{', '[]', 'null', '42', '{"id":"x"}', '{"service":1}']) {
      socket.send(frame);
    }
    socket.send(Buffer.from([0xff, 0x00, 0x7b]));
    socket.send(JSON.stringify({ id: 7, service: 'app', method: 'status', input: {}, x: 1 }));
    expect(await socket.next((m) => m.type === 'result' && m.id === 7, 'call 7')).toMatchObject({
      result: { ok: false, error: { code: 'INVALID_INPUT' } },
    });
    expect(await socket.call(8, 'app', 'status')).toMatchObject({ ok: true });
    // The garbage got no answers: only the two calls with ids did.
    expect(socket.received).toHaveLength(2);
    expect(internalErrors).toEqual([]);
  });

  it('closes a socket that sends more than the message limit with 1009, and stays up', async () => {
    const { server, port } = await start({ maxMessageBytes: 4096 });
    const socket = await signedInSocket(port, server.url);
    socket.send('x'.repeat(4097));
    expect((await socket.closed).code).toBe(1009);
    const next = await signedInSocket(port, server.url);
    expect(await next.call(1, 'app', 'status')).toMatchObject({ ok: true });
  });

  it('creates a vault through the API and closes it when the server stops', async () => {
    const { server, port, root } = await start();
    const socket = await signedInSocket(port, server.url);
    const created = await socket.call(1, 'app', 'createVault');
    expect(created).toMatchObject({ ok: true, value: { status: { vault: 'open' } } });
    expect(fs.existsSync(path.join(root, 'vault', 'vault.json'))).toBe(true);
    await server.close();
    expect((await socket.closed).code).toBe(1001);
    await expect(rawGet(port, '/')).rejects.toThrow();
  });
});
