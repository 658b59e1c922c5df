import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import {
  GOOD_PASSWORD,
  register,
  startAccountsServer,
  stepUp,
  uniqueEmail,
} from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { sha1Hex, startRangeServer } from './support/range-server.js';
import type { RangeServer } from './support/range-server.js';

const BREACHED = 'breached but long password';

let range: RangeServer;
beforeAll(async () => {
  range = await startRangeServer([BREACHED]);
});
afterAll(async () => range.close());

interface ErrorJson {
  error: { code: string };
}

/**
 * The range service was asked exactly once since `before`, for the password's 5-hex
 * prefix, with padding — and nothing it received holds the rest of the hash or the password.
 */
function expectAskedForPrefixOnly(before: number, password: string): void {
  const hash = sha1Hex(password);
  const asked = range.requests.slice(before);
  expect(asked).toHaveLength(1);
  expect(asked[0]?.method).toBe('GET');
  expect(asked[0]?.path).toBe(`/range/${hash.slice(0, 5)}`);
  expect(asked[0]?.path).toMatch(/^\/range\/[0-9A-F]{5}$/);
  expect(asked[0]?.headers['add-padding']).toBe('true');
  const everything = JSON.stringify(asked);
  expect(everything).not.toContain(hash.slice(5));
  expect(everything.toUpperCase()).not.toContain(hash.slice(5, 15));
  expect(everything).not.toContain(password);
}

describe('HaveIBeenPwned check (configured, over https with --trust-ca)', () => {
  let server: AccountsTestServer;
  beforeAll(async () => {
    server = await startAccountsServer({
      config: { hibp: { enabled: true, baseUrl: range.url }, trustCaFile: range.caFile },
    });
  });
  afterAll(async () => server.close());

  it('rejects a breached password with PASSWORD_BREACHED, having asked for the prefix only', async () => {
    const before = range.requests.length;
    const response = await server.request<ErrorJson>('POST', '/v1/auth/register', {
      body: { email: uniqueEmail(), password: BREACHED, deviceName: 'x' },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('PASSWORD_BREACHED');
    expectAskedForPrefixOnly(before, BREACHED);
  });

  it('accepts a password not in the range, having really asked the service', async () => {
    const before = range.requests.length;
    await register(server, { password: GOOD_PASSWORD });
    expectAskedForPrefixOnly(before, GOOD_PASSWORD);
  });

  it('applies to password changes too', async () => {
    const account = await register(server);
    await stepUp(server, account.token, account.password);
    const before = range.requests.length;
    const response = await server.request<ErrorJson>('POST', '/v1/me/password', {
      token: account.token,
      body: { currentPassword: account.password, newPassword: BREACHED },
    });
    expect(response.json.error.code).toBe('PASSWORD_BREACHED');
    expectAskedForPrefixOnly(before, BREACHED);
  });
});

describe('HaveIBeenPwned check (certificate not trusted)', () => {
  it('does not believe a service whose certificate it cannot verify: fails open and warns', async () => {
    const server = await startAccountsServer({
      config: { hibp: { enabled: true, baseUrl: range.url } },
    });
    try {
      const warn = vi.spyOn(server.deps.logger, 'warn');
      const before = range.requests.length;
      await register(server, { password: BREACHED });
      expect(range.requests.length).toBe(before);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/HaveIBeenPwned.*unavailable/));
    } finally {
      await server.close();
    }
  });
});

describe('HaveIBeenPwned check (unreachable)', () => {
  it('fails open: the password is accepted and a warning is logged', async () => {
    const server = await startAccountsServer({
      config: { hibp: { enabled: true, baseUrl: 'https://127.0.0.1:1' } },
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
      const before = range.requests.length;
      await register(server, { password: BREACHED });
      expect(range.requests.length).toBe(before);
    } finally {
      await server.close();
    }
  });
});
