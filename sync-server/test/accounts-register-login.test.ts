import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  GOOD_PASSWORD,
  login,
  register,
  startAccountsServer,
  uniqueEmail,
} from './accounts-support.js';
import type { AccountsTestServer, Grant } from './accounts-support.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

interface ErrorJson {
  error: { code: string; message: string };
}

describe('POST /v1/auth/register', () => {
  it('creates the account and answers 201 with a session', async () => {
    const email = uniqueEmail('Ann.Lee');
    const response = await server.request<Grant>('POST', '/v1/auth/register', {
      body: { email: `  ${email.toUpperCase()} `, password: GOOD_PASSWORD, deviceName: 'Laptop' },
    });
    expect(response.status).toBe(201);
    expect(response.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.json.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json.user.email).toBe(email.toLowerCase());
    const me = await server.request<{ user: { id: string } }>('GET', '/v1/me', {
      token: response.json.token,
    });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(response.json.user.id);
  });

  it.each([
    ['PASSWORD_TOO_SHORT', 'eleven char'],
    ['PASSWORD_TOO_LONG', 'x'.repeat(1025)],
    ['PASSWORD_TOO_COMMON', '1qaz2wsx3edc'],
    ['PASSWORD_CONTAINS_EMAIL', 'my name is margaret and I approve'],
  ])('rejects with %s', async (code, password) => {
    const response = await server.request<ErrorJson>('POST', '/v1/auth/register', {
      body: { email: uniqueEmail('margaret'), password, deviceName: 'Laptop' },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe(code);
  });

  it('counts code points: 12 emoji are enough, 11 are not', async () => {
    const ok = await server.request('POST', '/v1/auth/register', {
      body: { email: uniqueEmail(), password: '🔒🗝️🔑🚪🏠🌲🌊🔥🌙⭐🍀🎲', deviceName: 'Phone' },
    });
    expect(ok.status).toBe(201);
    const short = await server.request<ErrorJson>('POST', '/v1/auth/register', {
      body: { email: uniqueEmail(), password: '🔒'.repeat(11), deviceName: 'Phone' },
    });
    expect(short.json.error.code).toBe('PASSWORD_TOO_SHORT');
  });

  it('answers 409 EMAIL_TAKEN for an address that has an account, in any case', async () => {
    const first = await register(server);
    const response = await server.request<ErrorJson>('POST', '/v1/auth/register', {
      body: { email: first.email.toUpperCase(), password: GOOD_PASSWORD, deviceName: 'Other' },
    });
    expect(response.status).toBe(409);
    expect(response.json.error.code).toBe('EMAIL_TAKEN');
  });

  it('rejects malformed bodies with 400 INVALID_REQUEST', async () => {
    for (const body of [
      { email: 'not-an-email', password: GOOD_PASSWORD, deviceName: 'x' },
      { email: uniqueEmail(), password: 12345678901234, deviceName: 'x' },
      { email: uniqueEmail(), password: GOOD_PASSWORD },
      { email: uniqueEmail(), password: GOOD_PASSWORD, deviceName: 'x', admin: true },
      { email: uniqueEmail(), password: GOOD_PASSWORD, deviceName: 'evil\nname' },
    ]) {
      const response = await server.request<ErrorJson>('POST', '/v1/auth/register', { body });
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe('INVALID_REQUEST');
    }
  });
});

describe('POST /v1/auth/login', () => {
  it('answers 200 with a new session for the right password', async () => {
    const account = await register(server);
    const grant = await login(server, account.email.toUpperCase(), account.password, 'Phone', {
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
    });
    expect(grant.user).toEqual({ id: account.user.id, email: account.email });
    expect(grant.token).not.toBe(account.token);
    const sessions = await server.request<{
      sessions: { id: string; platform: string; deviceName: string; current: boolean }[];
    }>('GET', '/v1/me/sessions', { token: grant.token });
    const current = sessions.json.sessions.find((s) => s.current);
    expect(current).toMatchObject({ id: grant.sessionId, deviceName: 'Phone', platform: 'ios' });
    const notice = server.mailer.sent.find((m) => m.to === account.email);
    expect(notice?.subject).toMatch(/new sign-in/i);
    expect(notice?.text).toContain('Phone');
  });

  it('answers the same 401 INVALID_CREDENTIALS for a wrong password and an unknown email', async () => {
    const account = await register(server);
    const wrong = await server.request<ErrorJson>('POST', '/v1/auth/login', {
      body: { email: account.email, password: 'not the password!', deviceName: 'x' },
    });
    const unknown = await server.request<ErrorJson>('POST', '/v1/auth/login', {
      body: { email: uniqueEmail('nobody'), password: 'not the password!', deviceName: 'x' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json).toEqual(unknown.json);
    expect(wrong.json.error.code).toBe('INVALID_CREDENTIALS');
  });

  it('matches the password after NFKC normalisation', async () => {
    // "café" with a precomposed é at registration, decomposed e + U+0301 at login.
    const account = await register(server, { password: 'caf\u00e9 au lait please' });
    const grant = await login(server, account.email, 'cafe\u0301 au lait please');
    expect(grant.user.id).toBe(account.user.id);
  });
});

describe('OpenAPI', () => {
  it('documents every accounts route', async () => {
    const doc = await server.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/v1/openapi.json',
    );
    const routes: [string, string][] = [
      ['/v1/auth/register', 'post'],
      ['/v1/auth/login', 'post'],
      ['/v1/auth/logout', 'post'],
      ['/v1/auth/step-up', 'post'],
      ['/v1/me', 'get'],
      ['/v1/me', 'delete'],
      ['/v1/me/sessions', 'get'],
      ['/v1/me/sessions/{id}', 'delete'],
      ['/v1/me/sessions/revoke-others', 'post'],
      ['/v1/me/password', 'post'],
      ['/v1/me/export', 'get'],
    ];
    for (const [path, method] of routes) {
      expect(doc.json.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
  });
});
