import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SECOND_FACTOR_WINDOW_MS } from '../mfa/second-factor-guard.js';
import { totpCodeAt } from '../mfa/totp.js';
import { codeFromMail, registerUser, startMfaHarness, stepUp } from './support/mfa-fixtures.js';
import type { MfaHarness, SignedInUser } from './support/mfa-fixtures.js';
import {
  STEP_MS,
  answer,
  challenge,
  enrolTotp,
  expectCapped,
  expectWrong,
  otherSixDigits,
  passkeyOptions,
  stepUpWith,
  wrongBackupCode,
  wrongTotpCode,
} from './support/second-factor-steps.js';
import type { Answer, TotpUser } from './support/second-factor-steps.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

/*
 * Issue 6 point 1: wrong second-factor answers are capped per account — 10 in a rolling
 * hour, across any number of challenges, at sign-in and at step-up, whatever the method —
 * then every answer, the right one too, is 429 with Retry-After, and the owner gets one
 * mail. The restart case is in counters-restart.test.ts.
 */

let h: MfaHarness;
beforeAll(async () => {
  h = await startMfaHarness();
});
afterAll(async () => h.close());

const LOCKOUT_SUBJECT = 'Too many wrong sign-in codes for your Coffer account';
const lockoutMails = (user: SignedInUser) =>
  h.inbox.to(user.email).filter((m) => m.subject === LOCKOUT_SUBJECT);

const newTotpUser = async (): Promise<TotpUser> =>
  enrolTotp(h.server, h.clock, await registerUser(h.server));

/** The right code of a time step no answer has used yet. */
function freshRightCode(user: TotpUser): string {
  h.clock.advance(STEP_MS);
  return totpCodeAt(user, h.clock.now());
}

const wrongTotp = (user: TotpUser): string => wrongTotpCode(user.secret, h.clock.now());

describe('the second-factor cap at sign-in', () => {
  it('counts wrong TOTP codes across fresh challenges: the 11th answer, even right, is 429 until the hour passes', async () => {
    const user = await newTotpUser();
    const firstWrongAt = h.clock.now();
    // A correct password opens a fresh challenge every time; the count is the account's.
    for (let i = 0; i < 12; i += 1) {
      const res = await answer(
        h.server,
        await challenge(h.server, user.email),
        'totp',
        wrongTotp(user),
      );
      if (i < 10) expectWrong(res);
      else expectCapped(res);
    }
    // While capped, answers do not use up a challenge: the sixth on one is still 429.
    const held = await challenge(h.server, user.email);
    for (let i = 0; i < 6; i += 1)
      expectCapped(await answer(h.server, held, 'totp', wrongTotp(user)));

    const right = freshRightCode(user);
    const refused = await answer(h.server, await challenge(h.server, user.email), 'totp', right);
    const retryAfter = expectCapped(refused);
    expect(retryAfter).toBe(
      Math.ceil((firstWrongAt + SECOND_FACTOR_WINDOW_MS - h.clock.now()) / 1000),
    );
    expect(refused.json.token).toBeUndefined();

    // A second before the hour is up, still refused (the refused code was never spent).
    h.clock.advance(retryAfter * 1000 - 1_000);
    expectCapped(
      await answer(
        h.server,
        await challenge(h.server, user.email),
        'totp',
        totpCodeAt(user, h.clock.now()),
      ),
    );
    h.clock.set(firstWrongAt + SECOND_FACTOR_WINDOW_MS);
    const signedIn = await answer(
      h.server,
      await challenge(h.server, user.email),
      'totp',
      totpCodeAt(user, h.clock.now()),
    );
    expect(signedIn.status).toBe(200);
    expect(signedIn.json.token).toEqual(expect.any(String));

    // Exactly one mail for the lockout, however many answers were refused; no code in it.
    const mails = lockoutMails(user);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain('change it now');
    expect(mails[0]?.text).not.toContain(right);
  });

  it('counts wrong email codes', async () => {
    const user = await registerUser(h.server);
    expect((await stepUp(h.server, user.token)).status).toBe(200);
    expect(
      (await h.server.request('POST', '/v1/me/mfa/email', { token: user.token, body: {} })).status,
    ).toBe(200);

    const mailedCode = async (challengeToken: string): Promise<string> => {
      const seen = new Set(h.inbox.to(user.email));
      const sent = await h.server.request('POST', '/v1/auth/login/mfa/email-code', {
        body: { challengeToken },
      });
      expect(sent.status).toBe(202);
      const mail = await h.inbox.waitFor(
        (m) =>
          m.to.includes(user.email) &&
          !seen.has(m) &&
          m.subject === 'Your Coffer verification code',
      );
      return codeFromMail(mail.text);
    };

    // Two challenges, five wrong answers each (the per-challenge limit), against a real code.
    for (let round = 0; round < 2; round += 1) {
      const token = await challenge(h.server, user.email);
      const code = await mailedCode(token);
      for (let i = 0; i < 5; i += 1)
        expectWrong(await answer(h.server, token, 'email', otherSixDigits(code)));
    }
    const token = await challenge(h.server, user.email);
    const code = await mailedCode(token);
    expectCapped(await answer(h.server, token, 'email', code));
    expect(lockoutMails(user)).toHaveLength(1);

    h.clock.advance(SECOND_FACTOR_WINDOW_MS);
    const later = await challenge(h.server, user.email);
    expect((await answer(h.server, later, 'email', await mailedCode(later))).status).toBe(200);
  });

  it('counts wrong backup codes and failed passkey assertions', async () => {
    const user = await registerUser(h.server);
    expect((await stepUp(h.server, user.token)).status).toBe(200);
    const options = await h.server.request<PublicKeyCredentialCreationOptionsJSON>(
      'POST',
      '/v1/me/webauthn/register/options',
      { token: user.token, body: {} },
    );
    const passkey = new SoftAuthenticator(`https://localhost:${h.server.port}`);
    const registered = await h.server.request<{ backupCodes: string[] }>(
      'POST',
      '/v1/me/webauthn/register/verify',
      { token: user.token, body: { response: passkey.register(options.json) } },
    );
    expect(registered.status).toBe(201);
    const backupCodes = registered.json.backupCodes;
    const wrong = wrongBackupCode(backupCodes);

    const first = await challenge(h.server, user.email);
    for (let i = 0; i < 5; i += 1) expectWrong(await answer(h.server, first, 'backup_code', wrong));
    const second = await challenge(h.server, user.email);
    for (let i = 0; i < 3; i += 1)
      expectWrong(await answer(h.server, second, 'backup_code', wrong));

    // Two failed passkey assertions, signed for another origin, by both answer routes.
    const forged = passkey.assert(await passkeyOptions(h.server, second), {
      origin: 'https://attacker.example',
    });
    const viaMfa: Answer = await h.server.request('POST', '/v1/auth/login/mfa', {
      body: { challengeToken: second, method: 'webauthn', response: forged },
    });
    expectWrong(viaMfa, 'WEBAUTHN_REJECTED');
    const third = await challenge(h.server, user.email);
    const viaVerify: Answer = await h.server.request('POST', '/v1/auth/webauthn/verify', {
      body: {
        challengeToken: third,
        response: passkey.assert(await passkeyOptions(h.server, third), {
          origin: 'https://attacker.example',
        }),
      },
    });
    expectWrong(viaVerify, 'WEBAUTHN_REJECTED');

    // Ten wrong: a real backup code and a real passkey assertion are refused alike.
    const fourth = await challenge(h.server, user.email);
    expectCapped(await answer(h.server, fourth, 'backup_code', backupCodes[0] ?? ''));
    const honest: Answer = await h.server.request('POST', '/v1/auth/webauthn/verify', {
      body: {
        challengeToken: fourth,
        response: passkey.assert(await passkeyOptions(h.server, fourth)),
      },
    });
    expectCapped(honest);
    expect(lockoutMails(user)).toHaveLength(1);

    h.clock.advance(SECOND_FACTOR_WINDOW_MS);
    const fifth = await challenge(h.server, user.email);
    expect((await answer(h.server, fifth, 'backup_code', backupCodes[0] ?? '')).status).toBe(200);
  });

  it('lets no more than 10 of many parallel wrong answers be checked', async () => {
    const user = await newTotpUser();
    const tokens = [];
    for (let i = 0; i < 4; i += 1) tokens.push(await challenge(h.server, user.email));
    const wrong = wrongTotp(user);
    // Five per challenge (its own limit), twenty in all, all at once.
    const results = await Promise.all(
      tokens.flatMap((token) =>
        Array.from({ length: 5 }, () => answer(h.server, token, 'totp', wrong)),
      ),
    );
    const codes = results.map((res) => res.json.error?.code);
    expect(codes.filter((code) => code === 'INVALID_CODE')).toHaveLength(10);
    expect(codes.filter((code) => code === 'TOO_MANY_ATTEMPTS')).toHaveLength(10);
    expect(results.every((res) => res.status === 401 || res.status === 429)).toBe(true);

    expectCapped(
      await answer(h.server, await challenge(h.server, user.email), 'totp', freshRightCode(user)),
    );
    expect(lockoutMails(user)).toHaveLength(1);
  });
});

describe('the second-factor cap at step-up', () => {
  it('wrong step-up codes count toward the sign-in total', async () => {
    const user = await newTotpUser();
    h.clock.advance(11 * 60_000); // the enrolment's own step-up has lapsed
    for (let i = 0; i < 10; i += 1) {
      expectWrong(await stepUpWith(h.server, user.token, 'totp', wrongTotp(user)));
    }
    expectCapped(await stepUpWith(h.server, user.token, 'totp', freshRightCode(user)));
    expectCapped(
      await answer(h.server, await challenge(h.server, user.email), 'totp', freshRightCode(user)),
    );
    // The refused step-up did not elevate the session.
    const sensitive = await h.server.request<{ error: { code: string } }>(
      'POST',
      '/v1/me/mfa/backup-codes',
      { token: user.token, body: {} },
    );
    expect(sensitive.json.error.code).toBe('STEP_UP_REQUIRED');
    expect(lockoutMails(user)).toHaveLength(1);
  });

  it('wrong sign-in codes count toward the step-up total', async () => {
    const user = await newTotpUser();
    for (let round = 0; round < 2; round += 1) {
      const token = await challenge(h.server, user.email);
      for (let i = 0; i < 5; i += 1)
        expectWrong(await answer(h.server, token, 'totp', wrongTotp(user)));
    }
    expectCapped(await stepUpWith(h.server, user.token, 'totp', freshRightCode(user)));
    expectCapped(await stepUpWith(h.server, user.token, 'backup_code', user.backupCodes[0] ?? ''));

    h.clock.advance(SECOND_FACTOR_WINDOW_MS);
    expect((await stepUpWith(h.server, user.token, 'totp', freshRightCode(user))).status).toBe(200);
  });

  it('right answers do not count: a user who gets it right keeps signing in', async () => {
    const user = await newTotpUser();
    for (let i = 0; i < 9; i += 1) {
      expectWrong(
        await answer(h.server, await challenge(h.server, user.email), 'totp', wrongTotp(user)),
      );
    }
    for (let i = 0; i < 5; i += 1) {
      const res = await answer(
        h.server,
        await challenge(h.server, user.email),
        'totp',
        freshRightCode(user),
      );
      expect(res.status).toBe(200);
    }
    expect(lockoutMails(user)).toHaveLength(0);
  });
});
