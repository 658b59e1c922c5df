import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { expect } from 'vitest';

import type { ManualClock } from '../../clock.js';
import { TOTP_PERIOD_SECONDS, totpCodeAt } from '../../mfa/totp.js';
import { PASSWORD, login, stepUp } from './mfa-fixtures.js';
import type { SignedInUser } from './mfa-fixtures.js';
import type { TestResponse, TestServer } from './start-test-server.js';

export const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

export interface TotpUser extends SignedInUser {
  secret: string;
  backupCodes: string[];
}

export type Answer = TestResponse<{ token?: string; error?: { code: string; message: string } }>;

/** Steps up with the password, sets up TOTP and confirms it with the current code. */
export async function enrolTotp(
  server: TestServer,
  clock: ManualClock,
  user: SignedInUser,
): Promise<TotpUser> {
  expect((await stepUp(server, user.token)).status).toBe(200);
  const setup = await server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
    token: user.token,
    body: {},
  });
  expect(setup.status).toBe(200);
  const { secret } = setup.json;
  const confirm = await server.request<{ backupCodes: string[] }>(
    'POST',
    '/v1/me/mfa/totp/confirm',
    { token: user.token, body: { code: totpCodeAt({ secret }, clock.now()) } },
  );
  expect(confirm.status).toBe(200);
  return { ...user, secret, backupCodes: confirm.json.backupCodes };
}

/**
 * A six-digit code the server cannot accept at `now`: not the code of the current time step
 * nor of either neighbour (the ±1 step of drift allowed), checked, not hoped for.
 */
export function wrongTotpCode(secret: string, now: number): string {
  const accepted = new Set([-1, 0, 1].map((step) => totpCodeAt({ secret }, now + step * STEP_MS)));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!accepted.has(candidate)) return candidate;
  }
}

/** A six-digit code that is provably not `code` (the next number, wrapping). */
export function otherSixDigits(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** A backup code in the right format that is provably none of the user's. */
export function wrongBackupCode(codes: readonly string[]): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  for (const ch of alphabet) {
    const candidate = `${ch}${ch}${ch}${ch}-${ch}${ch}${ch}${ch}-${ch}${ch}${ch}${ch}-${ch}${ch}${ch}${ch}`;
    if (!codes.includes(candidate)) return candidate;
  }
  throw new Error('every candidate is a real code');
}

/** Logs in with the right password; returns the challenge token of the second step. */
export async function challenge(server: TestServer, email: string): Promise<string> {
  const res = await login(server, email);
  expect(res.status).toBe(200);
  expect(res.json.mfaRequired).toBe(true);
  expect(res.json.token).toBeUndefined();
  return res.json.challengeToken ?? '';
}

export function answer(
  server: TestServer,
  challengeToken: string,
  method: 'totp' | 'email' | 'backup_code',
  code: string,
): Promise<Answer> {
  return server.request('POST', '/v1/auth/login/mfa', { body: { challengeToken, method, code } });
}

/** POST /v1/auth/step-up with the right password and a code. */
export function stepUpWith(
  server: TestServer,
  token: string,
  method: 'totp' | 'email' | 'backup_code',
  code: string,
): Promise<Answer> {
  return server.request('POST', '/v1/auth/step-up', {
    token,
    body: { password: PASSWORD, method, code },
  });
}

/** Assertion options for answering `challengeToken` with a passkey. */
export async function passkeyOptions(
  server: TestServer,
  challengeToken: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const res = await server.request<PublicKeyCredentialRequestOptionsJSON>(
    'POST',
    '/v1/auth/webauthn/options',
    { body: { challengeToken } },
  );
  expect(res.status).toBe(200);
  return res.json;
}

export function expectWrong(res: Answer, code = 'INVALID_CODE'): void {
  expect(res.status).toBe(401);
  expect(res.json.error?.code).toBe(code);
}

/** 429 TOO_MANY_ATTEMPTS with a Retry-After; returns its seconds. */
export function expectCapped(res: Answer): number {
  expect(res.status).toBe(429);
  expect(res.json.error?.code).toBe('TOO_MANY_ATTEMPTS');
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThan(0);
  return seconds;
}
