import { existsSync, readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AccountExport } from '../accounts/export.service.js';
import { totpCodeAt } from '../mfa/totp.js';
import { login, register, startAccountsServer, stepUp } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';

let server: AccountsTestServer;
beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

const FIRST_PASSWORD = 'Zebra-crossing plum 8813';
const SECOND_PASSWORD = 'Marmalade orbit 4471 kite';

describe('account export and secrets at rest', () => {
  it('exports profile, sessions and factor metadata; the database holds no plaintext email, password, token or TOTP secret', async () => {
    const email = 'Quentin.Exportwell@Example.test';
    const account = await register(server, { email, password: FIRST_PASSWORD, deviceName: 'Desk' });
    const phone = await login(server, email, FIRST_PASSWORD, 'Phone');
    await server.request('POST', '/v1/auth/logout', { token: phone.token });

    await stepUp(server, account.token, FIRST_PASSWORD);
    const setup = await server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
      token: account.token,
      body: {},
    });
    const confirm = await server.request<{ backupCodes: string[] }>(
      'POST',
      '/v1/me/mfa/totp/confirm',
      {
        token: account.token,
        body: { code: totpCodeAt({ secret: setup.json.secret }, server.clock.now()) },
      },
    );
    expect(confirm.status).toBe(200);
    const change = await server.request('POST', '/v1/me/password', {
      token: account.token,
      body: { currentPassword: FIRST_PASSWORD, newPassword: SECOND_PASSWORD },
    });
    expect(change.status).toBe(200);

    const exported = await server.request<AccountExport>('GET', '/v1/me/export', {
      token: account.token,
    });
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/attachment/);
    const data = exported.json;
    expect(data.profile).toMatchObject({ id: account.user.id, email: email.toLowerCase() });
    const states = Object.fromEntries(data.sessions.map((s) => [s.deviceName, s.state]));
    expect(states).toEqual({ Desk: 'active', Phone: 'revoked' });
    expect(data.sessions.find((s) => s.current)?.id).toBe(account.sessionId);
    expect(data.factors.totp?.confirmedAt).not.toBeNull();
    expect(data.factors.backupCodes.remaining).toBe(10);
    expect(data.factors.emailOtp.enabled).toBe(false);
    // Sign-in history from the audit log: the password login from the phone is in it.
    expect(data.signIns.some((e) => e.kind === 'password' && e.deviceName === 'Phone')).toBe(true);
    const text = exported.text;
    for (const secret of [
      setup.json.secret,
      account.token,
      phone.token,
      FIRST_PASSWORD,
      SECOND_PASSWORD,
      ...confirm.json.backupCodes,
    ]) {
      expect(text).not.toContain(secret);
    }

    // Scan the database file and its write-ahead log as bytes.
    const files = [server.databaseFile, `${server.databaseFile}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(0);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    // The scan sees the rows: ids are stored in the clear.
    expect(bytes.includes(Buffer.from(account.user.id, 'utf8'))).toBe(true);
    const needles = [
      email,
      email.toLowerCase(),
      'exportwell',
      FIRST_PASSWORD,
      SECOND_PASSWORD,
      account.token,
      phone.token,
      setup.json.secret,
      ...confirm.json.backupCodes,
    ];
    for (const needle of needles) {
      expect(bytes.includes(Buffer.from(needle, 'utf8')), `found "${needle}" in the database`).toBe(
        false,
      );
    }
  });
});
