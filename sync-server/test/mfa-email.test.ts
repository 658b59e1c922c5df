import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  codeFromMail,
  login,
  registerUser,
  startMfaHarness,
  stepUp,
} from './support/mfa-fixtures.js';
import type { MfaHarness, SignedInUser } from './support/mfa-fixtures.js';

let h: MfaHarness;
beforeAll(async () => {
  h = await startMfaHarness();
});
afterAll(async () => h.close());

async function enableEmail(user: SignedInUser): Promise<string[]> {
  expect((await stepUp(h.server, user.token)).status).toBe(200);
  const res = await h.server.request<{ enabled: boolean; backupCodes?: string[] }>(
    'POST',
    '/v1/me/mfa/email',
    { token: user.token, body: {} },
  );
  expect(res.status).toBe(200);
  expect(res.json.enabled).toBe(true);
  return res.json.backupCodes ?? [];
}

async function challenge(email: string): Promise<{ token: string; methods: string[] }> {
  const res = await login(h.server, email);
  expect(res.json.mfaRequired).toBe(true);
  return { token: res.json.challengeToken ?? '', methods: res.json.methods ?? [] };
}

/** Runs `send` and reads the code from the next code mail the smtp-server receives. */
async function nextCode(
  user: SignedInUser,
  send: () => Promise<{ status: number }>,
): Promise<string> {
  const seen = new Set(h.inbox.to(user.email));
  expect((await send()).status).toBe(202);
  const mail = await h.inbox.waitFor(
    (m) => m.to.includes(user.email) && !seen.has(m) && m.text.includes('verification code'),
  );
  expect(mail.subject).toBe('Your Coffer verification code');
  return codeFromMail(mail.text);
}

const mailedCode = (user: SignedInUser, challengeToken: string): Promise<string> =>
  nextCode(user, () =>
    h.server.request('POST', '/v1/auth/login/mfa/email-code', { body: { challengeToken } }),
  );

const stepUpCode = (user: SignedInUser): Promise<string> =>
  nextCode(user, () =>
    h.server.request('POST', '/v1/me/mfa/email-code', { token: user.token, body: {} }),
  );

function answer(challengeToken: string, code: string) {
  return h.server.request<{ token?: string; error?: { code: string } }>(
    'POST',
    '/v1/auth/login/mfa',
    {
      body: { challengeToken, method: 'email', code },
    },
  );
}

describe('email codes', () => {
  it('enabling needs a step-up, hands out backup codes as first factor, and mails a notice', async () => {
    const user = await registerUser(h.server);
    const refused = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/mfa/email',
      {
        token: user.token,
        body: {},
      },
    );
    expect(refused.json.error.code).toBe('STEP_UP_REQUIRED');
    const codes = await enableEmail(user);
    expect(codes).toHaveLength(10);
    await h.inbox.waitFor(
      (m) => m.to.includes(user.email) && m.text.includes('codes by email were turned on'),
    );
  });

  it('logs in with a mailed six-digit code, once', async () => {
    const user = await registerUser(h.server);
    await enableEmail(user);
    const { token, methods } = await challenge(user.email);
    expect(methods).toEqual(['email', 'backup_code']);
    const code = await mailedCode(user, token);
    expect(code).toMatch(/^\d{6}$/);
    const ok = await answer(token, code);
    expect(ok.status).toBe(200);
    expect(ok.json.token).toBeDefined();

    // Single use: the same code against a new challenge fails.
    const second = await challenge(user.email);
    const reused = await answer(second.token, code);
    expect(reused.json.error?.code).toBe('INVALID_CODE');
  });

  it('a code dies after ten minutes', async () => {
    const user = await registerUser(h.server);
    await enableEmail(user);
    // A login code lives inside its 5-minute challenge; a step-up code shows the full 10.
    h.clock.advance(11 * 60_000);
    const timely = await stepUpCode(user);
    h.clock.advance(9 * 60_000);
    expect((await stepUp(h.server, user.token, { method: 'email', code: timely })).status).toBe(
      200,
    );

    const late = await stepUpCode(user);
    h.clock.advance(11 * 60_000);
    const refused = await stepUp(h.server, user.token, { method: 'email', code: late });
    expect(refused.status).toBe(401);
    expect(refused.json.error?.code).toBe('CODE_EXPIRED');
  });

  it('a newer code replaces the older one', async () => {
    const user = await registerUser(h.server);
    await enableEmail(user);
    const { token } = await challenge(user.email);
    const first = await mailedCode(user, token);
    let second = await mailedCode(user, token);
    // Two random codes match one time in a million: then the old one proves nothing.
    while (second === first) second = await mailedCode(user, token);
    expect((await answer(token, first)).json.error?.code).toBe('INVALID_CODE');
    expect((await answer(token, second)).status).toBe(200);
  });

  it('five wrong codes end the challenge', async () => {
    const user = await registerUser(h.server);
    await enableEmail(user);
    const { token } = await challenge(user.email);
    const code = await mailedCode(user, token);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i += 1) {
      expect((await answer(token, wrong)).json.error?.code).toBe('INVALID_CODE');
    }
    expect((await answer(token, code)).json.error?.code).toBe('CHALLENGE_EXPIRED');
    const more = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/auth/login/mfa/email-code',
      {
        body: { challengeToken: token },
      },
    );
    expect(more.json.error.code).toBe('CHALLENGE_EXPIRED');
  });

  it('limits how many codes are mailed', async () => {
    const user = await registerUser(h.server);
    await enableEmail(user);
    const { token } = await challenge(user.email);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      const res = await h.server.request('POST', '/v1/auth/login/mfa/email-code', {
        body: { challengeToken: token },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it('turning it off (step-up with a code) leaves an account without second factor', async () => {
    const user = await registerUser(h.server);
    await enableEmail(user);
    h.clock.advance(11 * 60_000);
    const elevated = await stepUp(h.server, user.token, {
      method: 'email',
      code: await stepUpCode(user),
    });
    expect(elevated.status).toBe(200);
    const off = await h.server.request<{ enabled: boolean }>('POST', '/v1/me/mfa/email', {
      token: user.token,
      body: { enabled: false },
    });
    expect(off.json.enabled).toBe(false);
    await h.inbox.waitFor(
      (m) => m.to.includes(user.email) && m.text.includes('codes by email were turned off'),
    );
    expect((await login(h.server, user.email)).json.token).toBeDefined();
  });
});
