import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AuditService } from '../audit/audit.service.js';
import { DEFAULT_RATE_LIMITS, rateLimiterFor } from '../audit/rate-limit.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { register, startAccountsServer, uniqueEmail } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import type { TestResponse } from './support/start-test-server.js';

/*
 * Client addresses: the server under test trusts X-Forwarded-For (`trustProxy`, as behind a
 * reverse proxy), so each request can come "from" its own IP. A second server without
 * trustProxy shows that a client cannot dodge the limits by sending the header itself.
 */
let proxied: AccountsTestServer;
let direct: AccountsTestServer;
beforeAll(async () => {
  [proxied, direct] = await Promise.all([
    startAccountsServer({ config: { trustProxy: ['127.0.0.1'] } }),
    startAccountsServer(),
  ]);
});
afterAll(async () => Promise.all([proxied.close(), direct.close()]));

type ErrorJson = { error?: { code: string } };

const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });

function expectLimited(response: TestResponse<ErrorJson>, retryAfter?: number): void {
  expect(response.status).toBe(429);
  expect(response.json.error?.code).toBe('RATE_LIMITED');
  const header = Number(response.headers['retry-after']);
  expect(header).toBeGreaterThan(0);
  if (retryAfter !== undefined) expect(header).toBe(retryAfter);
}

const login = (email: string, password: string, ip = '192.0.2.1') =>
  proxied.request<ErrorJson & { token?: string }>('POST', '/v1/auth/login', {
    body: { email, password, deviceName: 'Laptop' },
    headers: from(ip),
  });

describe('request rate limits', () => {
  it('limits per IP with 429 and Retry-After; other IPs are unaffected', async () => {
    const limiter = rateLimiterFor(proxied.deps);
    limiter.configure({ perIp: { limit: 5, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 5; i += 1) {
        expect(
          (await proxied.request('GET', '/v1/health', { headers: from('203.0.113.10') })).status,
        ).toBe(200);
      }
      const limited = await proxied.request<ErrorJson>('GET', '/v1/health', {
        headers: from('203.0.113.10'),
      });
      expectLimited(limited, 12);
      // Every route, even an unknown one or a login, is behind the same limit.
      expectLimited(
        await proxied.request<ErrorJson>('GET', '/v1/nope', { headers: from('203.0.113.10') }),
      );
      expect(
        (await proxied.request('GET', '/v1/health', { headers: from('203.0.113.11') })).status,
      ).toBe(200);
      proxied.clock.advance(12_000);
      expect(
        (await proxied.request('GET', '/v1/health', { headers: from('203.0.113.10') })).status,
      ).toBe(200);
    } finally {
      limiter.configure(DEFAULT_RATE_LIMITS);
    }
    // The refusal is in the audit log like any answer, under the client's address.
    await (proxied.deps.audit as AuditService).settled();
    const rows = (proxied.deps.storage as SqliteStorage).db
      .prepare("SELECT action, error_code FROM audit_log WHERE ip = ? AND outcome = 'rate_limited'")
      .all('203.0.113.10');
    expect(rows).toEqual([
      { action: 'GET /v1/health', error_code: 'RATE_LIMITED' },
      { action: 'GET (no route)', error_code: 'RATE_LIMITED' },
    ]);
  });

  it('limits per account; other accounts on the same IP are unaffected', async () => {
    const alice = await register(proxied);
    const bob = await register(proxied);
    const limiter = rateLimiterFor(proxied.deps);
    limiter.configure({ perAccount: { limit: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i += 1) {
        expect((await proxied.request('GET', '/v1/me', { token: alice.token })).status).toBe(200);
      }
      expectLimited(await proxied.request<ErrorJson>('GET', '/v1/me', { token: alice.token }), 20);
      expectLimited(
        await proxied.request<ErrorJson>('GET', '/v1/me/sessions', { token: alice.token }),
      );
      expect((await proxied.request('GET', '/v1/me', { token: bob.token })).status).toBe(200);
      proxied.clock.advance(20_000);
      expect((await proxied.request('GET', '/v1/me', { token: alice.token })).status).toBe(200);
    } finally {
      limiter.configure(DEFAULT_RATE_LIMITS);
    }
  });

  it('ignores X-Forwarded-For unless the server trusts a proxy', async () => {
    const limiter = rateLimiterFor(direct.deps);
    limiter.configure({ perIp: { limit: 3, windowMs: 60_000 } });
    try {
      for (let i = 0; i < 3; i += 1) {
        expect(
          (await direct.request('GET', '/v1/health', { headers: from(`198.51.100.${i}`) })).status,
        ).toBe(200);
      }
      expectLimited(
        await direct.request<ErrorJson>('GET', '/v1/health', { headers: from('198.51.100.99') }),
      );
    } finally {
      limiter.configure(DEFAULT_RATE_LIMITS);
    }
  });
});

describe('failed-login backoff', () => {
  it('delays consecutive failures of one account more and more; a success resets it', async () => {
    const account = await register(proxied);
    const other = await register(proxied);
    for (let i = 0; i < 10; i += 1) {
      expect((await login(account.email, 'wrong password number one')).status).toBe(401);
    }
    // During the backoff even the right password gets 429 — and no Argon2 work is done.
    expectLimited(await login(account.email, account.password), 1);
    // Other accounts, from the same address, are unaffected.
    expect((await login(other.email, other.password)).status).toBe(200);

    proxied.clock.advance(1_000);
    expect((await login(account.email, 'wrong password number two')).status).toBe(401);
    expectLimited(await login(account.email, account.password), 2);
    proxied.clock.advance(2_000);
    expect((await login(account.email, 'wrong password number three')).status).toBe(401);
    expectLimited(await login(account.email, account.password, '192.0.2.200'), 4);
    proxied.clock.advance(4_000);
    expect((await login(account.email, account.password)).status).toBe(200);
    // Reset: the next typo is answered at once.
    expect((await login(account.email, 'one more typo here')).status).toBe(401);
    expect((await login(account.email, account.password)).status).toBe(200);
  });

  it('throttles unknown addresses exactly like real ones (no account enumeration)', async () => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 10; i += 1) {
      expect((await login(ghost, 'guessing a password', '192.0.2.50')).status).toBe(401);
    }
    expectLimited(await login(ghost, 'guessing a password', '192.0.2.50'), 1);
    // Spelled differently, it is the same address.
    expectLimited(await login(` ${ghost.toUpperCase()} `, 'guessing a password', '192.0.2.51'), 1);
  });

  it('refuses the 101st attempt in an hour, even with the right password, until the hour passes', async () => {
    const account = await register(proxied);
    const other = await register(proxied);
    const start = proxied.clock.now();
    for (let i = 0; i < 100; i += 1) {
      // The longest backoff is 30 s; each failure comes from its own address.
      proxied.clock.advance(30_000);
      const response = await login(account.email, `wrong password ${i}!`, `10.1.${i}.1`);
      expect(response.status, `attempt ${i + 1}`).toBe(401);
    }
    proxied.clock.advance(30_000);
    const refused = await login(account.email, account.password, '10.2.0.1');
    // Until the first failure is an hour old: 30 s + 1 h after `start`.
    expectLimited(refused, (start + 30_000 + 3_600_000 - proxied.clock.now()) / 1000);
    expect((await login(other.email, other.password, '10.2.0.2')).status).toBe(200);

    proxied.clock.advance(Number(refused.headers['retry-after']) * 1000 - 1_000);
    expectLimited(await login(account.email, account.password, '10.2.0.1'), 1);
    proxied.clock.advance(1_000);
    expect((await login(account.email, account.password, '10.2.0.1')).status).toBe(200);
  });

  it('backs off an address that fails on many accounts; other addresses are unaffected', async () => {
    const account = await register(proxied);
    for (let i = 0; i < 50; i += 1) {
      expect((await login(uniqueEmail('spray'), 'Summer2030!Summer', '192.0.2.99')).status).toBe(
        401,
      );
    }
    expectLimited(await login(account.email, account.password, '192.0.2.99'), 1);
    expect((await login(account.email, account.password, '192.0.2.98')).status).toBe(200);
    await (proxied.deps.audit as AuditService).settled();
    const history = await proxied.request<{ signIns: { outcome: string; errorCode: string }[] }>(
      'GET',
      '/v1/me/sign-ins?limit=2',
      { token: account.token },
    );
    // The account owner sees the refused attempt.
    expect(history.json.signIns.map((e) => e.outcome)).toEqual(['success', 'rate_limited']);
  });
});
