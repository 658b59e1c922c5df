import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { totpCodeAt } from '../mfa/totp.js';
import { login, registerUser, startMfaHarness, stepUp } from './support/mfa-fixtures.js';
import type { MfaHarness, SignedInUser } from './support/mfa-fixtures.js';
import { sharesAcceptedCode, wrongTotpCode, wrongTotpCodes } from './support/totp-codes.js';

let h: MfaHarness;
beforeAll(async () => {
  h = await startMfaHarness();
});
afterAll(async () => h.close());

const STEP = 30_000;

interface Enrolled extends SignedInUser {
  secret: string;
  backupCodes: string[];
}

async function enrolTotp(user: SignedInUser): Promise<Enrolled> {
  expect((await stepUp(h.server, user.token)).status).toBe(200);
  const setup = await h.server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
    token: user.token,
    body: {},
  });
  expect(setup.status).toBe(200);
  const { secret } = setup.json;
  const confirm = await h.server.request<{ backupCodes: string[] }>(
    'POST',
    '/v1/me/mfa/totp/confirm',
    { token: user.token, body: { code: totpCodeAt({ secret }, h.clock.now()) } },
  );
  expect(confirm.status).toBe(200);
  return { ...user, secret, backupCodes: confirm.json.backupCodes };
}

async function challenge(email: string): Promise<string> {
  const res = await login(h.server, email);
  expect(res.status).toBe(200);
  expect(res.json.mfaRequired).toBe(true);
  expect(res.json.token).toBeUndefined();
  return res.json.challengeToken ?? '';
}

function answer(challengeToken: string, method: string, code: string) {
  return h.server.request<{
    token?: string;
    user?: { id: string; email: string };
    error?: { code: string };
  }>('POST', '/v1/auth/login/mfa', { body: { challengeToken, method, code } });
}

describe('TOTP enrolment', () => {
  it('needs a step-up, then returns secret, otpauth URI and a PNG QR code', async () => {
    const user = await registerUser(h.server);
    const refused = await h.server.request<{ error: { code: string } }>('POST', '/v1/me/mfa/totp', {
      token: user.token,
      body: {},
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('STEP_UP_REQUIRED');

    expect((await stepUp(h.server, user.token)).status).toBe(200);
    const setup = await h.server.request<{ secret: string; otpauthUri: string; qrCode: string }>(
      'POST',
      '/v1/me/mfa/totp',
      { token: user.token, body: {} },
    );
    expect(setup.status).toBe(200);
    expect(setup.json.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(setup.json.otpauthUri);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(setup.json.secret);
    expect(decodeURIComponent(uri.pathname)).toContain(user.email);
    expect(setup.json.qrCode).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(setup.json.qrCode.split(',')[1] ?? '', 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    const wrong = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/mfa/totp/confirm',
      {
        token: user.token,
        body: { code: wrongTotpCode({ secret: setup.json.secret }, h.clock.now()) },
      },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe('INVALID_CODE');

    const confirm = await h.server.request<{ backupCodes: string[] }>(
      'POST',
      '/v1/me/mfa/totp/confirm',
      {
        token: user.token,
        body: { code: totpCodeAt({ secret: setup.json.secret }, h.clock.now()) },
      },
    );
    expect(confirm.status).toBe(200);
    expect(confirm.json.backupCodes).toHaveLength(10);
    expect(new Set(confirm.json.backupCodes).size).toBe(10);

    const notice = await h.inbox.waitFor(
      (m) => m.to.includes(user.email) && m.text.includes('authenticator app was set up'),
    );
    expect(notice.text).not.toContain(setup.json.secret);

    const again = await h.server.request<{ error: { code: string } }>('POST', '/v1/me/mfa/totp', {
      token: user.token,
      body: {},
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('TOTP_ALREADY_ENABLED');

    const status = await h.server.request<{
      methods: string[];
      totp: boolean;
      backupCodesRemaining: number;
    }>('GET', '/v1/me/mfa', { token: user.token });
    expect(status.json).toMatchObject({
      methods: ['totp', 'backup_code'],
      totp: true,
      backupCodesRemaining: 10,
    });
  });

  it('rejects unknown properties and wrong types in the bodies', async () => {
    const user = await registerUser(h.server);
    await stepUp(h.server, user.token);
    for (const body of [{ extra: 1 }, { code: 123456 }, { code: '123456', x: true }, {}]) {
      const res = await h.server.request<{ error: { code: string } }>(
        'POST',
        '/v1/me/mfa/totp/confirm',
        {
          token: user.token,
          body,
        },
      );
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('INVALID_REQUEST');
    }
  });
});

describe('login with TOTP', () => {
  it('issues no session before the second factor, one after, and mails a sign-in notice', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    h.clock.advance(STEP);
    const token = await challenge(user.email);
    const res = await answer(token, 'totp', totpCodeAt(user, h.clock.now()));
    expect(res.status).toBe(200);
    expect(res.json.user).toEqual({ id: user.userId, email: user.email });
    const sessions = await h.server.request<{ sessions: unknown[] }>('GET', '/v1/me/sessions', {
      token: res.json.token ?? '',
    });
    expect(sessions.status).toBe(200);
    const notice = await h.inbox.waitFor(
      (m) => m.to.includes(user.email) && m.subject.includes('New sign-in'),
    );
    expect(notice.text).toContain('Second device');

    // The challenge is spent.
    const reused = await answer(token, 'totp', totpCodeAt(user, h.clock.now() + STEP));
    expect(reused.status).toBe(401);
    expect(reused.json.error?.code).toBe('CHALLENGE_EXPIRED');
  });

  it('rejects a code already used (replay), also one used for enrolment', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    // Same time step as the confirmation code.
    const replayed = await answer(
      await challenge(user.email),
      'totp',
      totpCodeAt(user, h.clock.now()),
    );
    expect(replayed.status).toBe(401);
    expect(replayed.json.error?.code).toBe('CODE_REPLAYED');

    h.clock.advance(STEP);
    const code = totpCodeAt(user, h.clock.now());
    expect((await answer(await challenge(user.email), 'totp', code)).status).toBe(200);
    const again = await answer(await challenge(user.email), 'totp', code);
    expect(again.status).toBe(401);
    expect(again.json.error?.code).toBe('CODE_REPLAYED');
  });

  it('accepts one step of drift either way, not two', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    h.clock.advance(10 * STEP);
    const ahead = await answer(
      await challenge(user.email),
      'totp',
      totpCodeAt(user, h.clock.now() + STEP),
    );
    expect(ahead.status).toBe(200);

    h.clock.advance(10 * STEP);
    // Stand on a step where the codes two steps off are not also accepted codes.
    while ([2, -2].some((offset) => sharesAcceptedCode(user, h.clock.now(), offset))) {
      h.clock.advance(STEP);
    }
    const tooFarAhead = await answer(
      await challenge(user.email),
      'totp',
      totpCodeAt(user, h.clock.now() + 2 * STEP),
    );
    expect(tooFarAhead.json.error?.code).toBe('INVALID_CODE');
    const tooFarBehind = await answer(
      await challenge(user.email),
      'totp',
      totpCodeAt(user, h.clock.now() - 2 * STEP),
    );
    expect(tooFarBehind.json.error?.code).toBe('INVALID_CODE');
    const behind = await answer(
      await challenge(user.email),
      'totp',
      totpCodeAt(user, h.clock.now() - STEP),
    );
    expect(behind.status).toBe(200);
  });

  it('ends the challenge after five wrong codes', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    h.clock.advance(STEP);
    const token = await challenge(user.email);
    for (let i = 0; i < 5; i += 1) {
      const wrong = await answer(token, 'totp', wrongTotpCodes(user, h.clock.now(), 5)[i] ?? '');
      expect(wrong.status).toBe(401);
      expect(wrong.json.error?.code).toBe('INVALID_CODE');
    }
    const right = await answer(token, 'totp', totpCodeAt(user, h.clock.now()));
    expect(right.status).toBe(401);
    expect(right.json.error?.code).toBe('CHALLENGE_EXPIRED');
    // A fresh login gets a fresh challenge.
    expect(
      (await answer(await challenge(user.email), 'totp', totpCodeAt(user, h.clock.now()))).status,
    ).toBe(200);
  });

  it('counts parallel guesses against the same limit', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    h.clock.advance(STEP);
    const token = await challenge(user.email);
    const guesses = wrongTotpCodes(user, h.clock.now(), 12);
    const results = await Promise.all(guesses.map((guess) => answer(token, 'totp', guess)));
    const codes = results.map((r) => r.json.error?.code);
    expect(codes.filter((c) => c === 'INVALID_CODE').length).toBeLessThanOrEqual(5);
    expect(codes.filter((c) => c === 'CHALLENGE_EXPIRED').length).toBeGreaterThanOrEqual(7);
  });

  it('expires the challenge after five minutes', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    const token = await challenge(user.email);
    h.clock.advance(5 * 60_000 + 1);
    const late = await answer(token, 'totp', totpCodeAt(user, h.clock.now()));
    expect(late.json.error?.code).toBe('CHALLENGE_EXPIRED');
  });

  it('refuses a method the user has not set up, and garbage tokens', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    const token = await challenge(user.email);
    const email = await answer(token, 'email', '123456');
    expect(email.status).toBe(400);
    expect(email.json.error?.code).toBe('METHOD_NOT_AVAILABLE');
    const unknown = await answer('A'.repeat(43), 'totp', '123456');
    expect(unknown.json.error?.code).toBe('CHALLENGE_EXPIRED');
    const malformed = await answer('short', 'totp', '123456');
    expect(malformed.status).toBe(400);
  });
});

describe('removing TOTP', () => {
  it('needs a step-up with the second factor, then login needs no code and a notice is mailed', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    h.clock.advance(11 * 60_000); // the enrolment step-up has lapsed
    const refused = await h.server.request<{ error: { code: string } }>(
      'DELETE',
      '/v1/me/mfa/totp',
      {
        token: user.token,
      },
    );
    expect(refused.json.error.code).toBe('STEP_UP_REQUIRED');

    const passwordOnly = await stepUp(h.server, user.token);
    expect(passwordOnly.json.mfaRequired).toBe(true);
    const elevated = await stepUp(h.server, user.token, {
      method: 'totp',
      code: totpCodeAt(user, h.clock.now()),
    });
    expect(elevated.status).toBe(200);
    const removed = await h.server.request('DELETE', '/v1/me/mfa/totp', { token: user.token });
    expect(removed.status).toBe(204);
    await h.inbox.waitFor(
      (m) => m.to.includes(user.email) && m.text.includes('authenticator app was removed'),
    );

    const res = await login(h.server, user.email);
    expect(res.json.token).toBeDefined();
    expect(res.json.mfaRequired).toBeUndefined();
    const status = await h.server.request<{ backupCodesRemaining: number }>('GET', '/v1/me/mfa', {
      token: user.token,
    });
    expect(status.json.backupCodesRemaining).toBe(0);
  });

  it('rejects a replayed code at step-up too', async () => {
    const user = await enrolTotp(await registerUser(h.server));
    const replay = await stepUp(h.server, user.token, {
      method: 'totp',
      code: totpCodeAt(user, h.clock.now()),
    });
    expect(replay.status).toBe(401);
    expect(replay.json.error?.code).toBe('CODE_REPLAYED');
  });
});
