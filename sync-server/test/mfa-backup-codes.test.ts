import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { totpCodeAt } from '../mfa/totp.js';
import { login, registerUser, startMfaHarness, stepUp } from './support/mfa-fixtures.js';
import type { MfaHarness, SignedInUser } from './support/mfa-fixtures.js';

let h: MfaHarness;
beforeAll(async () => {
  h = await startMfaHarness();
});
afterAll(async () => h.close());

interface Enrolled extends SignedInUser {
  secret: string;
  backupCodes: string[];
}

async function enrolTotp(user: SignedInUser): Promise<Enrolled> {
  await stepUp(h.server, user.token);
  const setup = await h.server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
    token: user.token,
    body: {},
  });
  const confirm = await h.server.request<{ backupCodes: string[] }>(
    'POST',
    '/v1/me/mfa/totp/confirm',
    {
      token: user.token,
      body: { code: totpCodeAt({ secret: setup.json.secret }, h.clock.now()) },
    },
  );
  return { ...user, secret: setup.json.secret, backupCodes: confirm.json.backupCodes };
}

async function loginWithBackupCode(email: string, code: string) {
  const started = await login(h.server, email);
  expect(started.json.methods).toContain('backup_code');
  return h.server.request<{ token?: string; error?: { code: string } }>(
    'POST',
    '/v1/auth/login/mfa',
    {
      body: { challengeToken: started.json.challengeToken, method: 'backup_code', code },
    },
  );
}

const remaining = async (user: SignedInUser): Promise<number> =>
  (
    await h.server.request<{ backupCodesRemaining: number }>('GET', '/v1/me/mfa', {
      token: user.token,
    })
  ).json.backupCodesRemaining;

describe('backup codes', () => {
  it('are ten distinct 80-bit codes, each good for one login', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    expect(user.backupCodes).toHaveLength(10);
    for (const code of user.backupCodes) expect(code).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);

    const [first = '', second = ''] = user.backupCodes;
    expect((await loginWithBackupCode(user.email, first)).status).toBe(200);
    const reused = await loginWithBackupCode(user.email, first);
    expect(reused.status).toBe(401);
    expect(reused.json.error?.code).toBe('INVALID_CODE');
    // Typed loosely: upper case, no dashes, spaces.
    const loose = ` ${second
      .replace(/-/g, '')
      .toUpperCase()
      .replace(/(.{8})/, '$1 ')} `;
    expect((await loginWithBackupCode(user.email, loose)).status).toBe(200);
    expect(await remaining(user)).toBe(8);
  });

  it('regenerating needs a step-up, replaces the old set and mails a notice', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    h.clock.advance(11 * 60_000);
    const refused = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/mfa/backup-codes',
      {
        token: user.token,
        body: {},
      },
    );
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('STEP_UP_REQUIRED');

    const elevated = await stepUp(h.server, user.token, {
      method: 'backup_code',
      code: user.backupCodes[9],
    });
    expect(elevated.status).toBe(200);
    const fresh = await h.server.request<{ backupCodes: string[] }>(
      'POST',
      '/v1/me/mfa/backup-codes',
      {
        token: user.token,
        body: {},
      },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.json.backupCodes).toHaveLength(10);
    expect(fresh.json.backupCodes.some((c) => user.backupCodes.includes(c))).toBe(false);
    await h.inbox.waitFor(
      (m) => m.to.includes(user.email) && m.text.includes('New backup codes were made'),
    );

    const old = await loginWithBackupCode(user.email, user.backupCodes[0] ?? '');
    expect(old.json.error?.code).toBe('INVALID_CODE');
    expect((await loginWithBackupCode(user.email, fresh.json.backupCodes[0] ?? '')).status).toBe(
      200,
    );
  });

  it('cannot be made without a second factor', async () => {
    const user = await registerUser(h.server);
    await stepUp(h.server, user.token);
    const res = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/mfa/backup-codes',
      {
        token: user.token,
        body: {},
      },
    );
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('MFA_NOT_ENABLED');
  });
});
