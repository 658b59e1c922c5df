import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STEP_UP_MS } from '../accounts/session.service.js';
import { totpCodeAt } from '../mfa/totp.js';
import { GOOD_PASSWORD, login, register, startAccountsServer, stepUp } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { wrongTotpCode } from './support/totp-codes.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

interface ErrorJson {
  error: { code: string };
}

const NEW_PASSWORD = 'quiet harbour lantern 77';

async function changePassword(token: string, body: Record<string, unknown>) {
  return server.request<ErrorJson & { endedSessions: number }>('POST', '/v1/me/password', {
    token,
    body,
  });
}

async function enableTotp(token: string, password: string): Promise<string> {
  await stepUp(server, token, password);
  const setup = await server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
    token,
    body: {},
  });
  expect(setup.status).toBe(200);
  const confirm = await server.request('POST', '/v1/me/mfa/totp/confirm', {
    token,
    body: { code: totpCodeAt({ secret: setup.json.secret }, server.clock.now()) },
  });
  expect(confirm.status).toBe(200);
  return setup.json.secret;
}

describe('POST /v1/auth/step-up', () => {
  it('sensitive routes answer 403 STEP_UP_REQUIRED without a step-up', async () => {
    const account = await register(server);
    const change = await changePassword(account.token, {
      currentPassword: account.password,
      newPassword: NEW_PASSWORD,
    });
    expect(change.status).toBe(403);
    expect(change.json.error.code).toBe('STEP_UP_REQUIRED');
    const del = await server.request<ErrorJson>('DELETE', '/v1/me', { token: account.token });
    expect(del.status).toBe(403);
    expect(del.json.error.code).toBe('STEP_UP_REQUIRED');
  });

  it('a wrong password is 403 INVALID_CREDENTIALS and the session stays valid', async () => {
    const account = await register(server);
    const response = await server.request<ErrorJson>('POST', '/v1/auth/step-up', {
      token: account.token,
      body: { password: 'not my password at all' },
    });
    expect(response.status).toBe(403);
    expect(response.json.error.code).toBe('INVALID_CREDENTIALS');
    expect((await server.request('GET', '/v1/me', { token: account.token })).status).toBe(200);
  });

  it('wrong step-up passwords spend the account login backoff (429 with Retry-After)', async () => {
    const account = await register(server);
    let response;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      response = await server.request<ErrorJson>('POST', '/v1/auth/step-up', {
        token: account.token,
        body: { password: `wrong password number ${attempt}` },
      });
      if (response.status !== 403) break;
    }
    expect(response?.status).toBe(429);
    expect(Number(response?.headers['retry-after'])).toBeGreaterThan(0);
    // The login for that account is held back as well.
    const loginNow = await server.request<ErrorJson>('POST', '/v1/auth/login', {
      body: { email: account.email, password: account.password, deviceName: 'x' },
    });
    expect(loginNow.status).toBe(429);
    server.clock.advance(60_000);
    await stepUp(server, account.token, account.password);
  });

  it('elevates the session for 10 minutes only, and only that session', async () => {
    const account = await register(server);
    const other = await login(server, account.email, account.password);
    const response = await server.request<{ elevatedUntil: string }>('POST', '/v1/auth/step-up', {
      token: account.token,
      body: { password: account.password },
    });
    expect(response.status).toBe(200);
    expect(new Date(response.json.elevatedUntil).getTime()).toBe(server.clock.now() + STEP_UP_MS);

    const onOther = await server.request<ErrorJson>('DELETE', '/v1/me', { token: other.token });
    expect(onOther.json.error.code).toBe('STEP_UP_REQUIRED');

    server.clock.advance(STEP_UP_MS);
    const late = await changePassword(account.token, {
      currentPassword: account.password,
      newPassword: NEW_PASSWORD,
    });
    expect(late.status).toBe(403);
    expect(late.json.error.code).toBe('STEP_UP_REQUIRED');
  });

  it('with TOTP on, asks for the second factor and accepts password + code', async () => {
    const account = await register(server);
    const secret = await enableTotp(account.token, account.password);
    server.clock.advance(STEP_UP_MS + 60_000);

    const passwordOnly = await server.request<{ mfaRequired: boolean; methods: string[] }>(
      'POST',
      '/v1/auth/step-up',
      { token: account.token, body: { password: account.password } },
    );
    expect(passwordOnly.status).toBe(200);
    expect(passwordOnly.json).toEqual({ mfaRequired: true, methods: ['totp', 'backup_code'] });
    const stillLocked = await server.request<ErrorJson>('DELETE', '/v1/me', {
      token: account.token,
    });
    expect(stillLocked.json.error.code).toBe('STEP_UP_REQUIRED');

    const wrongCode = await server.request<ErrorJson>('POST', '/v1/auth/step-up', {
      token: account.token,
      body: {
        password: account.password,
        method: 'totp',
        code: wrongTotpCode({ secret }, server.clock.now()),
      },
    });
    expect(wrongCode.status).toBe(401);

    const ok = await server.request<{ elevatedUntil: string }>('POST', '/v1/auth/step-up', {
      token: account.token,
      body: {
        password: account.password,
        method: 'totp',
        code: totpCodeAt({ secret }, server.clock.now()),
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.elevatedUntil).toBeDefined();

    const login2 = await server.request<{ mfaRequired: boolean; challengeToken: string }>(
      'POST',
      '/v1/auth/login',
      { body: { email: account.email, password: account.password, deviceName: 'x' } },
    );
    expect(login2.status).toBe(200);
    expect(login2.json.mfaRequired).toBe(true);
    expect(login2.json.challengeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login2.json).not.toHaveProperty('token');
  });

  it('rejects a code without a method', async () => {
    const account = await register(server);
    const response = await server.request<ErrorJson>('POST', '/v1/auth/step-up', {
      token: account.token,
      body: { password: account.password, code: '123456' },
    });
    expect(response.status).toBe(400);
  });
});

describe('POST /v1/me/password', () => {
  it('changes the password; the old one stops working', async () => {
    const account = await register(server);
    await stepUp(server, account.token, account.password);
    const change = await changePassword(account.token, {
      currentPassword: account.password,
      newPassword: NEW_PASSWORD,
    });
    expect(change.status).toBe(200);
    expect(change.json.endedSessions).toBe(0);
    const old = await server.request<ErrorJson>('POST', '/v1/auth/login', {
      body: { email: account.email, password: account.password, deviceName: 'x' },
    });
    expect(old.json.error.code).toBe('INVALID_CREDENTIALS');
    await login(server, account.email, NEW_PASSWORD);
    expect(server.mailer.sent.some((m) => m.to === account.email && /password/i.test(m.text))).toBe(
      true,
    );
  });

  it('ends the other sessions on request, keeping the current one', async () => {
    const account = await register(server);
    const other = await login(server, account.email, account.password);
    const third = await login(server, account.email, account.password);
    await stepUp(server, account.token, account.password);
    const change = await changePassword(account.token, {
      currentPassword: account.password,
      newPassword: NEW_PASSWORD,
      endOtherSessions: true,
    });
    expect(change.json.endedSessions).toBe(2);
    for (const token of [other.token, third.token]) {
      const response = await server.request<ErrorJson>('GET', '/v1/me', { token });
      expect(response.json.error.code).toBe('SESSION_REVOKED');
    }
    expect((await server.request('GET', '/v1/me', { token: account.token })).status).toBe(200);
  });

  it('applies the password policy and checks the current password', async () => {
    const account = await register(server);
    await stepUp(server, account.token, account.password);
    const wrongCurrent = await changePassword(account.token, {
      currentPassword: 'not the current one',
      newPassword: NEW_PASSWORD,
    });
    expect(wrongCurrent.status).toBe(403);
    expect(wrongCurrent.json.error.code).toBe('INVALID_CREDENTIALS');
    const local = account.email.split('@')[0] as string;
    for (const [newPassword, code] of [
      ['too short', 'PASSWORD_TOO_SHORT'],
      ['1Q2W3E4R5T6Y', 'PASSWORD_TOO_COMMON'],
      [`${local.toUpperCase()} forever and ever`, 'PASSWORD_CONTAINS_EMAIL'],
    ] as const) {
      const response = await changePassword(account.token, {
        currentPassword: account.password,
        newPassword,
      });
      expect(response.status).toBe(400);
      expect(response.json.error.code).toBe(code);
    }
  });
});

describe('DELETE /v1/me', () => {
  it('removes the account and its data; its tokens and password stop working', async () => {
    const account = await register(server);
    const other = await login(server, account.email, account.password);
    await enableTotp(account.token, account.password);
    expect(await server.deps.storage.mfa.getTotp(account.user.id)).not.toBeNull();

    // Still elevated by the step-up enableTotp made (within 10 minutes).
    const response = await server.request('DELETE', '/v1/me', { token: account.token });
    expect(response.status).toBe(204);

    for (const token of [account.token, other.token]) {
      const after = await server.request<ErrorJson>('GET', '/v1/me', { token });
      expect(after.status).toBe(401);
      expect(after.json.error.code).toBe('UNAUTHENTICATED');
    }
    expect(await server.deps.storage.users.findById(account.user.id)).toBeNull();
    expect(await server.deps.storage.sessions.listForUser(account.user.id)).toEqual([]);
    expect(await server.deps.storage.mfa.getTotp(account.user.id)).toBeNull();
    expect(await server.deps.storage.mfa.countUnusedBackupCodes(account.user.id)).toBe(0);
    const relogin = await server.request<ErrorJson>('POST', '/v1/auth/login', {
      body: { email: account.email, password: account.password, deviceName: 'x' },
    });
    expect(relogin.json.error.code).toBe('INVALID_CREDENTIALS');
    // The address is free again.
    await register(server, { email: account.email, password: GOOD_PASSWORD });
  });
});
