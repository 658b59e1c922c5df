import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  GOOD_PASSWORD,
  register,
  startAccountsServer,
  stepUp,
  uniqueEmail,
} from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';

const BREACHED = 'breached but long password';

const sha1 = (value: string): string =>
  createHash('sha1').update(value, 'utf8').digest('hex').toUpperCase();

/** Speaks the Pwned Passwords range protocol: GET /range/<5 hex> → SUFFIX:COUNT lines. */
let rangeServer: Server;
let rangeUrl: string;
const requested: string[] = [];
beforeAll(async () => {
  rangeServer = createServer((req, res) => {
    requested.push(`${req.url ?? ''} padding=${String(req.headers['add-padding'])}`);
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1] ?? '';
    const lines = ['00000000000000000000000000000000000:0'];
    const hash = sha1(BREACHED);
    if (hash.startsWith(prefix)) lines.push(`${hash.slice(5)}:1234`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => rangeServer.listen(0, '127.0.0.1', resolve));
  rangeUrl = `http://127.0.0.1:${(rangeServer.address() as AddressInfo).port}`;
});
afterAll(() => rangeServer.close());

interface ErrorJson {
  error: { code: string };
}

describe('HaveIBeenPwned check (configured)', () => {
  let server: AccountsTestServer;
  beforeAll(async () => {
    server = await startAccountsServer({ config: { hibp: { enabled: true, baseUrl: rangeUrl } } });
  });
  afterAll(async () => server.close());

  it('rejects a breached password with PASSWORD_BREACHED, sending only the hash prefix', async () => {
    const response = await server.request<ErrorJson>('POST', '/v1/auth/register', {
      body: { email: uniqueEmail(), password: BREACHED, deviceName: 'x' },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('PASSWORD_BREACHED');
    expect(requested.at(-1)).toBe(`/range/${sha1(BREACHED).slice(0, 5)} padding=true`);
  });

  it('accepts a password not in the range', async () => {
    await register(server, { password: GOOD_PASSWORD });
  });

  it('applies to password changes too', async () => {
    const account = await register(server);
    await stepUp(server, account.token, account.password);
    const response = await server.request<ErrorJson>('POST', '/v1/me/password', {
      token: account.token,
      body: { currentPassword: account.password, newPassword: BREACHED },
    });
    expect(response.json.error.code).toBe('PASSWORD_BREACHED');
  });
});

describe('HaveIBeenPwned check (unreachable)', () => {
  it('fails open: the password is accepted and a warning is logged', async () => {
    const server = await startAccountsServer({
      config: { hibp: { enabled: true, baseUrl: 'http://127.0.0.1:1' } },
    });
    try {
      const warn = vi.spyOn(server.deps.logger, 'warn');
      await register(server, { password: BREACHED });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/HaveIBeenPwned.*unavailable/));
    } finally {
      await server.close();
    }
  });
});

describe('HaveIBeenPwned check (off, the default)', () => {
  it('does not ask the service', async () => {
    const server = await startAccountsServer();
    try {
      const before = requested.length;
      await register(server, { password: BREACHED });
      expect(requested.length).toBe(before);
    } finally {
      await server.close();
    }
  });
});
