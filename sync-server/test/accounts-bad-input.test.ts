import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { register, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';

let server: AccountsTestServer;
let token: string;
let sessionId: string;
let password: string;
beforeAll(async () => {
  server = await startAccountsServer();
  const account = await register(server);
  ({ token, sessionId, password } = account);
  // Elevated, so the sensitive routes reach their body checks.
  await server.request('POST', '/v1/auth/step-up', { token, body: { password } });
});
afterAll(async () => server.close());

/** Every row of the accounts tables, to prove a rejected request wrote nothing. */
function snapshot(): string {
  const db = (server.deps.storage as SqliteStorage).db;
  return JSON.stringify([
    db.prepare('SELECT * FROM users ORDER BY id').all(),
    db.prepare('SELECT * FROM sessions ORDER BY id').all(),
  ]);
}

interface ErrorJson {
  error?: { code?: unknown; message?: unknown };
}

const HUGE = 'a'.repeat(70 * 1024);
const PAYLOADS = [
  "' OR 1=1; DROP TABLE users; --",
  '<script>alert(1)</script>',
  '\u0000\u0001\u001b[31m',
  '\ud800',
  '𝕳𝖊𝖑𝖑𝖔 ‮ evil',
  'a'.repeat(5000),
];

const BODIES: unknown[] = [
  null,
  [],
  'string',
  42,
  {},
  { email: 123, password: [], deviceName: {} },
  { email: 'x@y', password: 'valid password here', deviceName: 'd', extra: 1 },
  { __proto__: { admin: true }, email: 'a@b.c' },
  ...PAYLOADS.map((p) => ({ email: p, password: p, deviceName: p })),
  ...PAYLOADS.map((p) => ({ email: `${p}@example.test`, password: p, deviceName: 'd' })),
  ...PAYLOADS.map((p) => ({ currentPassword: p, newPassword: p, endOtherSessions: 'yes' })),
  ...PAYLOADS.map((p) => ({ password: p, method: p, code: p })),
];

const ROUTES: [string, string, boolean][] = [
  ['POST', '/v1/auth/register', false],
  ['POST', '/v1/auth/login', false],
  ['POST', '/v1/auth/step-up', true],
  ['POST', '/v1/me/password', true],
];

/** The token with one bit of its last byte flipped: same length and alphabet, never equal. */
function forgedToken(real: string): string {
  const bytes = Buffer.from(real, 'base64url');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

/**
 * Random bodies must be provably wrong: a password of 12 or more code points (after NFKC,
 * which can lengthen a string) could make a valid registration, or be the real password.
 */
function cannotSucceed(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return true;
  return ['password', 'currentPassword', 'newPassword'].every((key) => {
    const value = (body as Record<string, unknown>)[key];
    return typeof value !== 'string' || [...value.normalize('NFKC')].length < 12;
  });
}

function expectClientError(status: number, json: ErrorJson, what: string): void {
  expect(status, what).toBeGreaterThanOrEqual(400);
  expect(status, what).toBeLessThan(500);
  expect(json.error?.code, what).toMatch(/^[A-Z][A-Z0-9_]*$/);
}

describe('bad input on the accounts routes', () => {
  it('answers 4xx with a code to wrong types, payloads, huge and broken bodies, and writes nothing', async () => {
    const before = snapshot();
    for (const [method, path, authed] of ROUTES) {
      for (const body of BODIES) {
        const response = await server.request<ErrorJson>(method, path, {
          body,
          ...(authed ? { token } : {}),
        });
        expectClientError(response.status, response.json, `${path} ${JSON.stringify(body)}`);
      }
      for (const rawBody of ['{', '{"email":', 'null x', HUGE, '\u0000']) {
        const response = await server.request<ErrorJson>(method, path, {
          rawBody,
          headers: { 'content-type': 'application/json' },
          ...(authed ? { token } : {}),
        });
        expectClientError(response.status, response.json, `${path} raw ${rawBody.slice(0, 20)}`);
      }
      const form = await server.request<ErrorJson>(method, path, {
        rawBody: 'email=a&password=b',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectClientError(form.status, form.json, `${path} form`);
    }
    expect(snapshot()).toBe(before);
  });

  it('refuses device names carrying controls, line separators or bidi overrides', async () => {
    const before = snapshot();
    for (const deviceName of [
      'laptop\u009b2J',
      'a\u2028b',
      'evil\u202etxt.exe',
      'x\u2066y',
      'tab\there',
    ]) {
      const res = await server.request('POST', '/v1/auth/register', {
        body: {
          email: `d${deviceName.length}@example.test`,
          password: 'a perfectly long passphrase',
          deviceName,
        },
      });
      expect(res.status, JSON.stringify(deviceName)).toBe(400);
      expect((res.json as ErrorJson).error?.code).toBe('INVALID_REQUEST');
    }
    expect(snapshot()).toBe(before);
  });

  it('answers 401 to missing, malformed and forged tokens on every session route', async () => {
    const before = snapshot();
    expect(forgedToken(token)).not.toBe(token);
    const routes: [string, string][] = [
      ['GET', '/v1/me'],
      ['DELETE', '/v1/me'],
      ['GET', '/v1/me/sessions'],
      ['DELETE', `/v1/me/sessions/${sessionId}`],
      ['GET', '/v1/me/export'],
      ['POST', '/v1/me/password'],
      ['POST', '/v1/auth/logout'],
      ['POST', '/v1/auth/step-up'],
    ];
    const badHeaders: Record<string, string>[] = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: `Bearer ${token}x` },
      { authorization: `Bearer ${forgedToken(token)}` },
      { authorization: `Basic ${token}` },
      { authorization: "Bearer ' OR 1=1 --" },
      { authorization: `Bearer ${'A'.repeat(4000)}` },
    ];
    for (const [method, path] of routes) {
      for (const headers of badHeaders) {
        const response = await server.request<ErrorJson>(method, path, { headers });
        expect(response.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(response.json.error?.code).toBe('UNAUTHENTICATED');
      }
    }
    expect(snapshot()).toBe(before);
    // The real token still works: nothing above touched it.
    expect((await server.request('GET', '/v1/me', { token })).status).toBe(200);
  });

  it('survives arbitrary JSON bodies (fast-check)', async () => {
    const before = snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              email: fc.oneof(fc.string(), fc.emailAddress(), fc.jsonValue()),
              password: fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()),
              deviceName: fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()),
            },
            { requiredKeys: [] },
          ),
        ),
        async ([method, path, authed], body) => {
          fc.pre(cannotSucceed(body));
          const response = await server.request<ErrorJson>(method, path, {
            body,
            ...(authed ? { token } : {}),
          });
          expectClientError(response.status, response.json, `${path} ${JSON.stringify(body)}`);
        },
      ),
      { numRuns: 150 },
    );
    expect(snapshot()).toBe(before);
    expect((await server.request('GET', '/v1/health')).status).toBe(200);
  });
});
