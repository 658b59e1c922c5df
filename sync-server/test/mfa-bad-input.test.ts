import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { registerUser, startMfaHarness, stepUp } from './support/mfa-fixtures.js';
import type { MfaHarness, SignedInUser } from './support/mfa-fixtures.js';

let h: MfaHarness;
let user: SignedInUser;
beforeAll(async () => {
  h = await startMfaHarness();
  user = await registerUser(h.server);
  // Elevated, so the sensitive routes reach their body checks.
  await stepUp(h.server, user.token);
});
afterAll(async () => h.close());

const MFA_TABLES = [
  'mfa_totp',
  'mfa_email_otp',
  'mfa_email_codes',
  'mfa_backup_code_sets',
  'mfa_backup_codes',
  'webauthn_user_handles',
  'webauthn_credentials',
  'mfa_login_challenges',
  'webauthn_challenges',
  'sessions',
];

/** Every row of the MFA tables (and sessions), to prove a rejected request wrote nothing. */
function snapshot(): string {
  const db = (h.server.deps.storage as SqliteStorage).db;
  return JSON.stringify(MFA_TABLES.map((t) => db.prepare(`SELECT * FROM ${t}`).all()));
}

interface ErrorJson {
  error?: { code?: unknown };
}

const PAYLOADS = [
  "' OR 1=1; DROP TABLE mfa_totp; --",
  '<script>alert(1)</script>',
  '\u0000\u0001\u001b[31m',
  '\ud800',
  '𝕳𝖊𝖑𝖑𝖔 ‮ evil',
  'a'.repeat(5000),
];

const webauthnShaped = (p: string) => ({
  id: p,
  rawId: p,
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: p, authenticatorData: p, signature: p, attestationObject: p },
});

const BODIES: unknown[] = [
  null,
  [],
  'string',
  42,
  { extra: 1 },
  { __proto__: { admin: true }, code: '123456' },
  { code: 123456 },
  { enabled: 'yes' },
  { challengeToken: 123, method: 'totp', code: '123456' },
  { challengeToken: 'A'.repeat(43), method: 'sms', code: '123456' },
  { challengeToken: 'A'.repeat(43), method: 'totp' },
  { challengeToken: 'A'.repeat(43), method: 'webauthn', code: '123456' },
  { response: { id: 'x' } },
  ...PAYLOADS.map((p) => ({ code: p, extra: p })),
  ...PAYLOADS.map((p) => ({ challengeToken: p, method: 'totp', code: p })),
  ...PAYLOADS.map((p) => ({ challengeToken: p })),
  ...PAYLOADS.map((p) => ({ response: webauthnShaped(p), name: p })),
  ...PAYLOADS.map((p) => ({ response: webauthnShaped(p), deviceName: p, platform: p })),
  ...PAYLOADS.map((p) => ({
    challengeToken: 'A'.repeat(43),
    method: 'webauthn',
    response: webauthnShaped(p),
  })),
];

/** [method, path, needs session] */
const ROUTES: [string, string, boolean][] = [
  ['POST', '/v1/me/mfa/totp', true],
  ['POST', '/v1/me/mfa/totp/confirm', true],
  ['POST', '/v1/me/mfa/email', true],
  ['POST', '/v1/me/mfa/backup-codes', true],
  ['POST', '/v1/me/mfa/email-code', true],
  ['POST', '/v1/me/webauthn/register/options', true],
  ['POST', '/v1/me/webauthn/register/verify', true],
  ['POST', '/v1/me/webauthn/options', true],
  ['POST', '/v1/auth/login/mfa', false],
  ['POST', '/v1/auth/login/mfa/email-code', false],
  ['POST', '/v1/auth/webauthn/options', false],
  ['POST', '/v1/auth/webauthn/verify', false],
];

function expectClientError(status: number, json: ErrorJson, what: string): void {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
  expect(json.error?.code, what).toMatch(/^[A-Z][A-Z0-9_]*$/);
}

describe('bad input on the two-factor and passkey routes', () => {
  it('answers 4xx with a code to wrong types, hostile strings and broken bodies, and writes nothing', async () => {
    const before = snapshot();
    for (const [method, path, authed] of ROUTES) {
      for (const body of BODIES) {
        const response = await h.server.request<ErrorJson>(method, path, {
          body,
          ...(authed ? { token: user.token } : {}),
        });
        expectClientError(
          response.status,
          response.json,
          `${path} ${JSON.stringify(body)?.slice(0, 80)}`,
        );
      }
      for (const rawBody of ['{', '{"code":', 'null x', 'a'.repeat(70 * 1024), '\u0000']) {
        const response = await h.server.request<ErrorJson>(method, path, {
          rawBody,
          headers: { 'content-type': 'application/json' },
          ...(authed ? { token: user.token } : {}),
        });
        expectClientError(response.status, response.json, `${path} raw ${rawBody.slice(0, 20)}`);
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('answers 401 without a valid session on every /v1/me two-factor route', async () => {
    const before = snapshot();
    const routes: [string, string][] = [
      ['GET', '/v1/me/mfa'],
      ['DELETE', '/v1/me/mfa/totp'],
      ['DELETE', '/v1/me/mfa/email'],
      ['DELETE', '/v1/me/webauthn/credentials/abc'],
      ...ROUTES.filter(([, , authed]) => authed).map(([m, p]): [string, string] => [m, p]),
    ];
    const badHeaders: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${user.token}x` },
    ];
    for (const [method, path] of routes) {
      for (const headers of badHeaders) {
        const response = await h.server.request<ErrorJson>(method, path, { headers });
        expect(response.status, `${method} ${path}`).toBe(401);
        expect(response.json.error?.code).toBe('UNAUTHENTICATED');
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('accepts no body where every field is optional, but not a JSON null', async () => {
    const noBody = await h.server.request('POST', '/v1/auth/webauthn/options');
    expect(noBody.status).toBe(200);
    const nullBody = await h.server.request<ErrorJson>('POST', '/v1/auth/webauthn/options', {
      body: null,
    });
    expect(nullBody.status).toBe(400);
  });

  it('survives arbitrary JSON bodies on the sign-in routes (fast-check)', async () => {
    const before = snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/v1/auth/login/mfa',
          '/v1/auth/webauthn/verify',
          '/v1/auth/login/mfa/email-code',
        ),
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            challengeToken: fc.string({ minLength: 43, maxLength: 43 }),
            method: fc.constantFrom('totp', 'email', 'backup_code', 'webauthn'),
            code: fc.string(),
          }),
        ),
        async (path, body) => {
          const response = await h.server.request<ErrorJson>('POST', path, { body });
          expectClientError(
            response.status,
            response.json,
            `${path} ${JSON.stringify(body)?.slice(0, 80)}`,
          );
        },
      ),
      { numRuns: 150 },
    );
    expect(snapshot()).toBe(before);
    expect((await h.server.request('GET', '/v1/health')).status).toBe(200);
  });
});
