import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AuditService } from '../audit/audit.service.js';
import type { SignInEntry } from '../audit/sign-in-history.js';
import { totpCodeAt } from '../mfa/totp.js';
import {
  GOOD_PASSWORD,
  register,
  startAccountsServer,
  stepUp,
  uniqueEmail,
} from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { wrongTotpCode } from './support/totp-codes.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

interface Page {
  signIns: SignInEntry[];
  nextCursor: string | null;
}

/** The history, once every earlier request's audit record is written. */
async function history(token: string, query = '') {
  await (server.deps.audit as AuditService).settled();
  return server.request<Page & { error?: { code: string } }>('GET', `/v1/me/sign-ins${query}`, {
    token,
  });
}

const loginAs = (
  email: string,
  password: string,
  deviceName = 'Phone',
  userAgent = 'TestAgent/1',
) =>
  server.request<{ token?: string; challengeToken?: string; mfaRequired?: boolean }>(
    'POST',
    '/v1/auth/login',
    { body: { email, password, deviceName }, headers: { 'user-agent': userAgent } },
  );

describe('GET /v1/me/sign-ins', () => {
  it('needs a session', async () => {
    const response = await server.request<{ error: { code: string } }>('GET', '/v1/me/sign-ins');
    expect(response.status).toBe(401);
    expect(response.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('lists the account’s own sign-ins newest first: passwords right and wrong, second factors, step-ups', async () => {
    const account = await register(server, { deviceName: 'First laptop' });
    const other = await register(server);
    expect((await loginAs(account.email, 'wrong password, sorry')).status).toBe(401);
    expect((await loginAs(other.email, 'wrong password, sorry')).status).toBe(401);

    // Turn on TOTP, then sign in with it: a wrong code, then the right one.
    await stepUp(server, account.token, account.password);
    const setup = await server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
      token: account.token,
      body: {},
    });
    const secret = setup.json.secret;
    const confirmed = await server.request('POST', '/v1/me/mfa/totp/confirm', {
      token: account.token,
      body: { code: totpCodeAt({ secret }, server.clock.now()) },
    });
    expect(confirmed.status).toBe(200);
    server.clock.advance(30_000);
    const challenge = await loginAs(account.email, account.password, 'Tablet');
    expect(challenge.json.mfaRequired).toBe(true);
    const code = totpCodeAt({ secret }, server.clock.now());
    const wrongCode = wrongTotpCode({ secret }, server.clock.now());
    const answer = (value: string) =>
      server.request<{ token: string }>('POST', '/v1/auth/login/mfa', {
        body: { challengeToken: challenge.json.challengeToken, method: 'totp', code: value },
      });
    expect((await answer(wrongCode)).status).toBe(401);
    const signedIn = await answer(code);
    expect(signedIn.status).toBe(200);

    const page = await history(signedIn.json.token);
    expect(page.status).toBe(200);
    const summary = page.json.signIns.map((e) => [e.kind, e.factor, e.outcome, e.errorCode]);
    expect(summary).toEqual([
      ['second_factor', 'totp', 'success', null],
      ['second_factor', 'totp', 'failure', 'INVALID_CODE'],
      ['password', 'password', 'mfa_required', null],
      ['step_up', 'password', 'success', null],
      ['password', 'password', 'failure', 'INVALID_CREDENTIALS'],
      ['register', 'password', 'success', null],
    ]);
    expect(page.json.nextCursor).toBeNull();
    const [latest] = page.json.signIns;
    expect(latest?.deviceName).toBe('Tablet');
    expect(latest?.ip).toMatch(/127\.0\.0\.1$/);
    expect(Date.parse(latest?.at ?? '')).toBe(server.clock.now());
    expect(page.json.signIns[2]).toMatchObject({ deviceName: 'Tablet', userAgent: 'TestAgent/1' });
    expect(page.json.signIns.at(-1)).toMatchObject({ deviceName: 'First laptop' });

    // The other account sees only its own.
    const others = await history(other.token);
    expect(others.json.signIns.map((e) => [e.kind, e.outcome])).toEqual([
      ['password', 'failure'],
      ['register', 'success'],
    ]);
  });

  it('pages with a cursor', async () => {
    const account = await register(server);
    for (let i = 0; i < 4; i += 1) {
      expect((await loginAs(account.email, account.password, `Device ${i}`)).status).toBe(200);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = await history(account.token, query);
      expect(page.status).toBe(200);
      expect(page.json.signIns.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.signIns.map((e) => e.deviceName ?? ''));
      cursor = page.json.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(['Device 3', 'Device 2', 'Device 1', 'Device 0', 'Test laptop']);
  });

  it('refuses a bad cursor, limit or parameter with 400', async () => {
    const account = await register(server);
    for (const query of ['?cursor=nonsense', '?limit=0', '?limit=101', '?limit=x', '?other=1']) {
      const response = await history(account.token, query);
      expect(response.status, query).toBe(400);
      expect(response.json.error?.code, query).toMatch(/^INVALID_/);
    }
  });

  it('is part of the account export and of the OpenAPI document', async () => {
    const account = await register(server);
    expect((await loginAs(account.email, 'not my password!')).status).toBe(401);
    // The export needs a step-up, which is itself a sign-in entry.
    await stepUp(server, account.token, account.password);
    await (server.deps.audit as AuditService).settled();
    const exported = await server.request<{ signIns: SignInEntry[] }>('GET', '/v1/me/export', {
      token: account.token,
    });
    expect(exported.status).toBe(200);
    expect(exported.json.signIns.map((e) => [e.kind, e.outcome])).toEqual([
      ['step_up', 'success'],
      ['password', 'failure'],
      ['register', 'success'],
    ]);
    expect(exported.json.signIns).toEqual((await history(account.token)).json.signIns);

    const doc = await server.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/v1/openapi.json',
    );
    expect(doc.json.paths['/v1/me/sign-ins']?.get).toBeDefined();
  });

  it('does not list attempts on an address with no account, nor a refused registration', async () => {
    const account = await register(server);
    expect((await loginAs(uniqueEmail('ghost'), GOOD_PASSWORD)).status).toBe(401);
    const taken = await server.request('POST', '/v1/auth/register', {
      body: { email: account.email, password: GOOD_PASSWORD, deviceName: 'x' },
    });
    expect(taken.status).toBe(409);
    const page = await history(account.token);
    expect(page.json.signIns.map((e) => e.kind)).toEqual(['register']);
  });
});
