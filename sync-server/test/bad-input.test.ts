import { setTimeout } from 'node:timers/promises';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { startTestServer } from './support/start-test-server.js';
import type { TestResponse, TestServer } from './support/start-test-server.js';

// Walks every registered route (so routes added later are covered without editing this
// file) with broken input and no valid credentials: every answer must be a 4xx in the
// error format, nothing may be written, and the server must keep serving.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

/**
 * Routes anyone may call with an empty body and no token (passwordless sign-in starts by
 * asking for WebAuthn options, which stores a single-use challenge).
 */
const OPEN_ROUTES = new Set([
  'GET /v1/health',
  'GET /v1/health/ready',
  'GET /v1/openapi.json',
  'POST /v1/auth/webauthn/options',
]);

function routes(): { method: string; url: string }[] {
  return server.routes.flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
      method,
      url: route.url,
    })),
  );
}

function fillParams(url: string, value: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, encodeURIComponent(value));
}

/** Every row of every table except the audit log (which records these very requests). */
function snapshot(): string {
  const db = (server.deps.storage as SqliteStorage).db;
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'audit%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return JSON.stringify(
    tables.map((table) => [table, db.prepare(`SELECT * FROM "${table}"`).all()]),
  );
}

function expectRejected(label: string, response: TestResponse): void {
  expect(
    response.status,
    `${label} → ${response.status} ${response.text.slice(0, 200)}`,
  ).toBeGreaterThanOrEqual(400);
  expect(response.status, label).toBeLessThan(500);
  const body = response.json as { error?: { code?: unknown; message?: unknown } } | undefined;
  expect(body?.error?.code, label).toMatch(/^[A-Z][A-Z0-9_]*$/);
  expect(typeof body?.error?.message, label).toBe('string');
}

const TOKENS = [undefined, 'not-a-token', 'a'.repeat(43), "' OR 1=1 --", '\u00e9\u00e9'];
const PARAMS = [
  '1',
  "' OR 1=1 --",
  '<script>',
  '..%2f..%2fetc%2fpasswd',
  '\u00e9',
  'a'.repeat(200),
];

/**
 * POST /v1/auth/register is among the routes: a random body with a valid email, device
 * name and a password of 12 or more code points (after NFKC, which can lengthen a string)
 * would rightly succeed. Only bodies whose password is provably too short are sent.
 */
function cannotRegister(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return true;
  const password = (body as Record<string, unknown>).password;
  return typeof password !== 'string' || [...password.normalize('NFKC')].length < 12;
}

describe('every route under bad input', () => {
  it('answers malformed JSON, wrong media types and oversized bodies with a 4xx', async () => {
    const before = snapshot();
    for (const route of routes()) {
      if (route.method === 'GET') continue;
      const url = fillParams(route.url, PARAMS[0] ?? '1');
      const label = `${route.method} ${route.url}`;
      for (const [rawBody, contentType] of [
        ['{"email": ', 'application/json'],
        ['{"a":1}{"b":2}', 'application/json'],
        ['email=a&password=b', 'application/x-www-form-urlencoded'],
        ['<xml/>', 'application/xml'],
        [`{"x":"${'a'.repeat(server.config.bodyLimit)}"}`, 'application/json'],
      ] as const) {
        for (const token of [undefined, 'not-a-token']) {
          const response = await server.request(route.method, url, {
            rawBody,
            headers: { 'content-type': contentType },
            ...(token === undefined ? {} : { token }),
          });
          expectRejected(`${label} ${contentType}`, response);
        }
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('answers odd path parameters and missing or bogus tokens with a 4xx', async () => {
    const before = snapshot();
    for (const route of routes()) {
      if (OPEN_ROUTES.has(`${route.method} ${route.url}`)) continue;
      for (const param of route.url.includes(':') ? PARAMS : [PARAMS[0] ?? '1']) {
        for (const token of TOKENS) {
          const response = await server.request(route.method, fillParams(route.url, param), {
            ...(route.method === 'GET' ? {} : { body: {} }),
            ...(token === undefined ? {} : { token }),
          });
          expectRejected(
            `${route.method} ${route.url} param=${param.slice(0, 20)} token=${String(token)}`,
            response,
          );
        }
      }
    }
    expect(snapshot()).toBe(before);
  });

  it('answers random JSON bodies with a 4xx (property)', async () => {
    const before = snapshot();
    const writable = routes().filter(
      (route) => route.method !== 'GET' && !OPEN_ROUTES.has(`${route.method} ${route.url}`),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writable),
        fc.oneof(
          fc.jsonValue(),
          fc.dictionary(
            fc.constantFrom(
              'email',
              'password',
              'deviceName',
              'code',
              'method',
              'challengeToken',
              'name',
              'token',
            ),
            fc.oneof(
              fc.string({ unit: 'binary' }),
              fc.integer(),
              fc.boolean(),
              fc.constant(null),
              fc.array(fc.string()),
            ),
          ),
        ),
        fc.constantFrom(...TOKENS),
        async (route, body, token) => {
          fc.pre(cannotRegister(body));
          const response = await server.request(route.method, fillParams(route.url, 'x'), {
            body,
            ...(token === undefined ? {} : { token }),
          });
          expectRejected(
            `${route.method} ${route.url} ${JSON.stringify(body).slice(0, 80)}`,
            response,
          );
        },
      ),
      { numRuns: 300 },
    );
    expect(snapshot()).toBe(before);
    // Still serving after the flood. The flood may have spent this address's allowance
    // (1,200 requests a minute): then the answer is 429 with Retry-After, and once that has
    // passed the server answers again.
    let health = await server.request('GET', '/v1/health');
    if (health.status === 429) {
      await setTimeout(1000 * Number(health.headers['retry-after'] ?? '1'));
      health = await server.request('GET', '/v1/health');
    }
    expect(health.status).toBe(200);
  });
});
