import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { adminWithWorkspace, elevate, joinAs, snapshot } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string; message: string };
}

let server: AccountsTestServer;
let admin: User;
let member: User;
let workspaceId: string;

beforeAll(async () => {
  server = await startAccountsServer();
  ({ admin, workspaceId } = await adminWithWorkspace(server));
  member = await joinAs(server, admin.token, workspaceId, 'member');
  // Stepped up, as admin, so every request reaches its validation.
  await elevate(server, admin);
});
afterAll(async () => server.close());

const base64 = (bytes: number): string => Buffer.alloc(bytes, 7).toString('base64');

/**
 * Malformed requests to every workspace route, each with the code it must get. The admin
 * sends them (allowed everywhere), so only the input is wrong.
 */
function cases(): [string, string, string, { body?: unknown; rawBody?: string }, number, string][] {
  const ws = `/v1/workspaces/${workspaceId}`;
  const m = `${ws}/members/${member.user.id}`;
  return [
    ['POST', '/v1/workspaces', 'no body field', { body: {} }, 400, 'INVALID_REQUEST'],
    [
      'POST',
      '/v1/workspaces',
      'name in clear text',
      { body: { nameBlob: 'My books!' } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'POST',
      '/v1/workspaces',
      'name blob too large',
      { body: { nameBlob: base64(3073) } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'POST',
      '/v1/workspaces',
      'unpadded base64',
      { body: { nameBlob: 'abcde' } },
      400,
      'INVALID_REQUEST',
    ],
    ['POST', '/v1/workspaces', 'a number', { body: { nameBlob: 1234 } }, 400, 'INVALID_REQUEST'],
    [
      'POST',
      '/v1/workspaces',
      'extra field',
      { body: { nameBlob: base64(8), name: 'x' } },
      400,
      'INVALID_REQUEST',
    ],
    ['POST', '/v1/workspaces', 'not JSON', { rawBody: '{"nameBlob":' }, 400, 'INVALID_JSON'],
    ['PATCH', m, 'unknown role', { body: { role: 'owner' } }, 400, 'INVALID_REQUEST'],
    ['PATCH', m, 'no role', { body: {} }, 400, 'INVALID_REQUEST'],
    [
      'PATCH',
      `${ws}/members/not-a-uuid`,
      'malformed user id',
      { body: { role: 'viewer' } },
      400,
      'INVALID_REQUEST',
    ],
    ['DELETE', `${ws}/members/not-a-uuid`, 'malformed user id', {}, 400, 'INVALID_REQUEST'],
    [
      'POST',
      `${ws}/invites`,
      'bad email',
      { body: { email: 'nobody', role: 'viewer' } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'POST',
      `${ws}/invites`,
      'unknown role',
      { body: { email: 'a@b.example', role: 'root' } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'POST',
      `${ws}/invites`,
      'extra field',
      { body: { email: 'a@b.example', role: 'viewer', days: 99 } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'PUT',
      `${ws}/policy`,
      'string flag',
      { body: { requireMfa: 'yes', forbidEmailOtp: false } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'PUT',
      `${ws}/policy`,
      'missing flag',
      { body: { requireMfa: false } },
      400,
      'INVALID_REQUEST',
    ],
    ['DELETE', `${ws}/sessions/not-a-uuid`, 'malformed session id', {}, 400, 'INVALID_REQUEST'],
    ['GET', `${ws}/audit?limit=0`, 'limit 0', {}, 400, 'INVALID_REQUEST'],
    ['GET', `${ws}/audit?limit=100000`, 'limit too high', {}, 400, 'INVALID_REQUEST'],
    ['GET', `${ws}/audit?cursor=nope`, 'bad cursor', {}, 400, 'INVALID_CURSOR'],
    ['GET', `${ws}/audit?since=yesterday`, 'bad time', {}, 400, 'INVALID_REQUEST'],
    ['GET', `${ws}/audit?since=2030-02-31T00:00:00Z`, 'impossible time', {}, 400, 'INVALID_TIME'],
    ['GET', `${ws}/audit?outcome=maybe`, 'unknown outcome', {}, 400, 'INVALID_REQUEST'],
    [
      'GET',
      `${ws}/audit?changesOnly=sometimes`,
      'changesOnly not a boolean',
      {},
      400,
      'INVALID_REQUEST',
    ],
    ['GET', `${ws}/audit?userId=x`, 'malformed user id', {}, 400, 'INVALID_REQUEST'],
    ['GET', `${ws}/audit?colour=red`, 'unknown parameter', {}, 400, 'INVALID_REQUEST'],
    [
      'PUT',
      `${ws}/keys`,
      'no keys',
      { body: { keyVersion: 1, sealed: [] } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'PUT',
      `${ws}/keys`,
      'version 0',
      {
        body: {
          keyVersion: 0,
          sealed: [{ userId: member.user.id, userKeyVersion: 1, sealedKey: 'AAAA' }],
        },
      },
      400,
      'INVALID_REQUEST',
    ],
    [
      'PUT',
      `${ws}/keys`,
      'malformed member id',
      { body: { keyVersion: 1, sealed: [{ userId: 'x', userKeyVersion: 1, sealedKey: 'AAAA' }] } },
      400,
      'INVALID_REQUEST',
    ],
    ['POST', `${ws}/invoice-numbers`, 'no invoice id', { body: {} }, 400, 'INVALID_REQUEST'],
    [
      'POST',
      `${ws}/invoice-numbers`,
      'malformed invoice id',
      { body: { invoiceId: 'INV-0001' } },
      400,
      'INVALID_REQUEST',
    ],
    [
      'POST',
      `${ws}/invoice-numbers`,
      'a floor of 0',
      { body: { invoiceId: '01900000-0000-7000-8000-0000000000aa', notBelow: 0 } },
      400,
      'INVALID_REQUEST',
    ],
    ['POST', `${ws}/sync/push`, 'no changes', { body: {} }, 400, 'INVALID_REQUEST'],
    [
      'POST',
      `${ws}/sync/push`,
      'nonce not base64url',
      {
        body: {
          changes: [
            {
              id: member.user.id,
              collection: 'transactions',
              keyVersion: 1,
              nonce: '!'.repeat(16),
              ciphertext: 'A'.repeat(24),
            },
          ],
        },
      },
      400,
      'INVALID_REQUEST',
    ],
    ['POST', `${ws}/sync/push`, 'not JSON', { rawBody: '{"changes":' }, 400, 'INVALID_JSON'],
    ['GET', `${ws}/sync/pull?after=-1`, 'negative after', {}, 400, 'INVALID_AFTER'],
    ['GET', `${ws}/sync/pull?limit=0`, 'limit 0', {}, 400, 'INVALID_LIMIT'],
    ['GET', `${ws}/sync/pull?colour=red`, 'unknown parameter', {}, 400, 'INVALID_REQUEST'],
    ['POST', `${ws}/snapshots`, 'no manifest', { body: {} }, 400, 'INVALID_REQUEST'],
    [
      'POST',
      `${ws}/snapshots`,
      'seq past the log',
      {
        body: {
          snapshotId: '01900000-0000-7000-8000-00000000abcd',
          seq: 1,
          keyVersion: 1,
          chunkCount: 1,
          byteLength: 1,
        },
      },
      400,
      'SNAPSHOT_INVALID',
    ],
    ['POST', `${ws}/snapshots`, 'not JSON', { rawBody: '{"seq":' }, 400, 'INVALID_JSON'],
    ['POST', `/v1/invites/${'a'.repeat(42)}/accept`, 'short token', {}, 400, 'INVALID_REQUEST'],
    [
      'POST',
      `/v1/invites/${'a'.repeat(43)}/accept`,
      'body sent',
      { body: { role: 'admin' } },
      400,
      'INVALID_REQUEST',
    ],
  ];
}

describe('bad input on the workspace routes', () => {
  it('every malformed request gets its 4xx code and changes nothing', async () => {
    const before = snapshot(server);
    for (const [method, path, what, input, status, code] of cases()) {
      const res = await server.request<ErrorJson>(method, path, {
        token: admin.token,
        ...(input.body === undefined ? {} : { body: input.body }),
        ...(input.rawBody === undefined
          ? {}
          : { rawBody: input.rawBody, headers: { 'content-type': 'application/json' } }),
      });
      const label = `${method} ${path} (${what})`;
      expect([res.status, res.json.error?.code], `${label}: ${res.text}`).toEqual([status, code]);
      expect(typeof res.json.error?.message, label).toBe('string');
    }
    expect(snapshot(server)).toBe(before);
  });

  it('covers every route that takes input', () => {
    const covered = new Set(cases().map(([method, path]) => `${method} ${path.split('?')[0]}`));
    const withInput = server.routes.filter(
      (r) =>
        (r.url.startsWith('/v1/workspaces') || r.url.startsWith('/v1/invites')) &&
        (r.schema?.body !== undefined ||
          r.schema?.querystring !== undefined ||
          r.url.includes(':userId') ||
          r.url.includes(':sessionId') ||
          r.url.includes(':token')),
    );
    for (const route of withInput) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        const pattern = new RegExp(`^${method} ${route.url.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
        expect(
          [...covered].some((c) => pattern.test(c)),
          `${method} ${route.url}`,
        ).toBe(true);
      }
    }
  });
});
