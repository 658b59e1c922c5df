import { randomUUID } from 'node:crypto';

import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { WORKSPACE_AUDIT_ACTIONS } from '../../shared/api/workspace-audit-actions.js';
import { STEP_UP_MS } from '../accounts/session.service.js';
import { totpCodeAt } from '../mfa/totp.js';
import type { SqliteStorage } from '../storage/sqlite/sqlite-storage.js';
import { login, register, startAccountsServer, stepUp } from './accounts-support.js';
import type { AccountsTestServer, Grant } from './accounts-support.js';
import { boxText, publicKeyText, testUserKeyBody } from './key-directory-support.js';
import { SoftAuthenticator } from './support/soft-authenticator.js';

/**
 * Every route of the server and what it takes to call it. Written out by hand on purpose:
 * a route added without an entry, an entry without a route, or a level changed in the
 * code fails the first test until this table is changed with it.
 */
const ROUTE_TABLE: Readonly<Record<string, 'none' | 'session' | 'step-up'>> = {
  'GET /v1/health': 'none',
  'GET /v1/health/ready': 'none',
  'GET /v1/openapi.json': 'none',
  'POST /v1/auth/register': 'none',
  'POST /v1/auth/login': 'none',
  'POST /v1/auth/login/mfa': 'none',
  'POST /v1/auth/login/mfa/email-code': 'none',
  'POST /v1/auth/webauthn/options': 'none',
  'POST /v1/auth/webauthn/verify': 'none',
  'POST /v1/auth/logout': 'session',
  'POST /v1/auth/step-up': 'session',
  'GET /v1/me': 'session',
  'GET /v1/me/sessions': 'session',
  'GET /v1/me/sign-ins': 'session',
  'GET /v1/me/mfa': 'session',
  'POST /v1/me/mfa/email-code': 'session',
  'POST /v1/me/webauthn/options': 'session',
  'PATCH /v1/me/webauthn/credentials/:id': 'session',
  'DELETE /v1/me/sessions/:id': 'step-up',
  'POST /v1/me/sessions/revoke-others': 'step-up',
  'GET /v1/me/export': 'step-up',
  'POST /v1/me/password': 'step-up',
  'DELETE /v1/me': 'step-up',
  'POST /v1/me/mfa/totp': 'step-up',
  'POST /v1/me/mfa/totp/confirm': 'step-up',
  'DELETE /v1/me/mfa/totp': 'step-up',
  'POST /v1/me/mfa/email': 'step-up',
  'DELETE /v1/me/mfa/email': 'step-up',
  'POST /v1/me/mfa/backup-codes': 'step-up',
  'POST /v1/me/webauthn/register/options': 'step-up',
  'POST /v1/me/webauthn/register/verify': 'step-up',
  'DELETE /v1/me/webauthn/credentials/:id': 'step-up',
  'GET /v1/workspaces': 'session',
  'POST /v1/workspaces': 'session',
  'GET /v1/workspaces/:id/members': 'session',
  'PATCH /v1/workspaces/:id/members/:userId': 'step-up',
  'DELETE /v1/workspaces/:id/members/:userId': 'step-up',
  'POST /v1/workspaces/:id/invites': 'session',
  'POST /v1/invites/:token/accept': 'session',
  'PUT /v1/workspaces/:id/policy': 'step-up',
  'GET /v1/workspaces/:id/sessions': 'session',
  'DELETE /v1/workspaces/:id/sessions/:sessionId': 'step-up',
  'GET /v1/workspaces/:id/audit': 'session',
  'POST /v1/workspaces/:id/sync/push': 'session',
  'GET /v1/workspaces/:id/sync/pull': 'session',
  'GET /v1/workspaces/:id/sync/ws': 'session',
  'GET /v1/me/keys': 'session',
  'PUT /v1/me/keys': 'session',
  'PUT /v1/me/device-key': 'session',
  'POST /v1/me/keys/rotate': 'session',
  'GET /v1/me/device-keys': 'session',
  'GET /v1/workspaces/:id/keys': 'session',
  'PUT /v1/workspaces/:id/keys': 'session',
  'GET /v1/workspaces/:id/member-keys': 'session',
  'GET /v1/workspaces/:id/key-state': 'session',
  'POST /v1/workspaces/:id/invoice-numbers': 'session',
  'POST /v1/workspaces/:id/snapshots': 'session',
  'PUT /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index': 'session',
  'POST /v1/workspaces/:id/snapshots/:snapshotId/complete': 'session',
  'GET /v1/workspaces/:id/snapshots/latest': 'session',
  'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index': 'session',
  'POST /v1/me/device-approvals': 'session',
  'GET /v1/me/device-approvals': 'session',
  'GET /v1/me/device-approvals/:id': 'session',
  'POST /v1/me/device-approvals/:id/approve': 'step-up',
  'POST /v1/me/device-approvals/:id/deny': 'session',
};

interface ErrorJson {
  error?: { code: string };
}

let server: AccountsTestServer;
/** Signed in with every factor and a second session; its step-up has run out. */
let owner: Grant & { email: string; password: string };
let otherDevice: Grant;
let passkeyId: string;
let totpSecret: string;
/** A passkey registration made while stepped up, sent only after the step-up ran out. */
let pendingRegistration: unknown;
/** The owner's workspace, and a member of it with their session. */
let workspaceId: string;
let member: Grant;
/** A request of the owner's second device for the user key, pending. */
const approvalId = randomUUID();

beforeAll(async () => {
  server = await startAccountsServer();
  owner = await register(server, { deviceName: 'Laptop' });
  otherDevice = await login(server, owner.email, owner.password, 'Phone');
  await stepUp(server, owner.token, owner.password);

  const setup = await server.request<{ secret: string }>('POST', '/v1/me/mfa/totp', {
    token: owner.token,
    body: {},
  });
  totpSecret = setup.json.secret;
  const confirmed = await server.request('POST', '/v1/me/mfa/totp/confirm', {
    token: owner.token,
    body: { code: totpCodeAt({ secret: totpSecret }, server.clock.now()) },
  });
  expect(confirmed.status).toBe(200);
  expect(
    (await server.request('POST', '/v1/me/mfa/email', { token: owner.token, body: {} })).status,
  ).toBe(200);
  const origin = `https://localhost:${server.port}`;
  const options = async (): Promise<PublicKeyCredentialCreationOptionsJSON> =>
    (
      await server.request<PublicKeyCredentialCreationOptionsJSON>(
        'POST',
        '/v1/me/webauthn/register/options',
        { token: owner.token, body: {} },
      )
    ).json;
  const passkey = new SoftAuthenticator(origin);
  const added = await server.request<{ id: string }>('POST', '/v1/me/webauthn/register/verify', {
    token: owner.token,
    body: { response: passkey.register(await options()) },
  });
  expect(added.status).toBe(201);
  passkeyId = added.json.id;
  pendingRegistration = new SoftAuthenticator(origin).register(await options());

  const created = await server.request<{ id: string }>('POST', '/v1/workspaces', {
    token: owner.token,
    body: { nameBlob: Buffer.from('sealed workspace name').toString('base64') },
  });
  workspaceId = created.json.id;
  member = await register(server, { deviceName: 'Member laptop' });
  const invite = await server.request<{ token: string }>(
    'POST',
    `/v1/workspaces/${workspaceId}/invites`,
    { token: owner.token, body: { email: member.user.email, role: 'member' } },
  );
  expect(
    (
      await server.request('POST', `/v1/invites/${invite.json.token}/accept`, {
        token: member.token,
      })
    ).status,
  ).toBe(200);

  // The owner's first device holds the user key; the second one asks for it.
  for (const [path, body] of [
    ['/v1/me/keys', testUserKeyBody()],
    [
      '/v1/me/device-key',
      { publicKey: publicKeyText(), userKeyVersion: 1, sealedUserKey: boxText() },
    ],
  ] as const) {
    expect((await server.request('PUT', path, { token: owner.token, body })).status).toBe(201);
  }
  const asked = await server.request('POST', '/v1/me/device-approvals', {
    token: otherDevice.token,
    body: { id: approvalId, devicePublicKey: publicKeyText() },
  });
  expect(asked.status).toBe(201);

  server.clock.advance(STEP_UP_MS + 1_000);
  // The first request after a minute writes last_seen_at; do it before any snapshot.
  expect((await server.request('GET', '/v1/me', { token: owner.token })).status).toBe(200);
});
afterAll(async () => server.close());

/** Every row of every table but the audit log, which records the requests themselves. */
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

/**
 * For each step-up route, a request that is right in every way but the step-up: real ids,
 * valid bodies. Without the level each of them would change or reveal something.
 */
function stepUpRequests(): Record<string, { path: string; body?: unknown }> {
  return {
    'DELETE /v1/me/sessions/:id': { path: `/v1/me/sessions/${otherDevice.sessionId}` },
    'POST /v1/me/sessions/revoke-others': { path: '/v1/me/sessions/revoke-others', body: {} },
    'GET /v1/me/export': { path: '/v1/me/export' },
    'POST /v1/me/password': {
      path: '/v1/me/password',
      body: {
        currentPassword: owner.password,
        newPassword: 'copper lantern orchard 93',
        endOtherSessions: true,
      },
    },
    'DELETE /v1/me': { path: '/v1/me' },
    'POST /v1/me/mfa/totp': { path: '/v1/me/mfa/totp', body: {} },
    'POST /v1/me/mfa/totp/confirm': {
      path: '/v1/me/mfa/totp/confirm',
      body: { code: totpCodeAt({ secret: totpSecret }, server.clock.now()) },
    },
    'DELETE /v1/me/mfa/totp': { path: '/v1/me/mfa/totp' },
    'POST /v1/me/mfa/email': { path: '/v1/me/mfa/email', body: { enabled: false } },
    'DELETE /v1/me/mfa/email': { path: '/v1/me/mfa/email' },
    'POST /v1/me/mfa/backup-codes': { path: '/v1/me/mfa/backup-codes', body: {} },
    'POST /v1/me/webauthn/register/options': {
      path: '/v1/me/webauthn/register/options',
      body: {},
    },
    'POST /v1/me/webauthn/register/verify': {
      path: '/v1/me/webauthn/register/verify',
      body: { response: pendingRegistration, name: 'Second key' },
    },
    'DELETE /v1/me/webauthn/credentials/:id': {
      path: `/v1/me/webauthn/credentials/${encodeURIComponent(passkeyId)}`,
    },
    'PATCH /v1/workspaces/:id/members/:userId': {
      path: `/v1/workspaces/${workspaceId}/members/${member.user.id}`,
      body: { role: 'viewer' },
    },
    'DELETE /v1/workspaces/:id/members/:userId': {
      path: `/v1/workspaces/${workspaceId}/members/${member.user.id}`,
    },
    'PUT /v1/workspaces/:id/policy': {
      path: `/v1/workspaces/${workspaceId}/policy`,
      body: { requireMfa: true, forbidEmailOtp: true },
    },
    'DELETE /v1/workspaces/:id/sessions/:sessionId': {
      path: `/v1/workspaces/${workspaceId}/sessions/${member.sessionId}`,
    },
    'POST /v1/me/device-approvals/:id/approve': {
      path: `/v1/me/device-approvals/${approvalId}/approve`,
      body: { userKeyVersion: 1, sealedUserKey: boxText() },
    },
  };
}

const methodOf = (route: string): string => route.split(' ')[0] ?? '';
const routesAt = (level: string): string[] =>
  Object.keys(ROUTE_TABLE).filter((route) => ROUTE_TABLE[route] === level);

describe('route access levels', () => {
  it('the server registers exactly the routes of the table, each with its level', () => {
    const registered: Record<string, string> = {};
    for (const route of server.routes) {
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        registered[`${method} ${route.url}`] = route.config?.auth ?? '(no level)';
      }
    }
    expect(registered).toEqual(ROUTE_TABLE);
  });

  it("every route a workspace's audit log can hold has words for the app, and no others", () => {
    const recordedInWorkspace = Object.keys(ROUTE_TABLE).filter(
      (route) =>
        route.includes(' /v1/workspaces/:id') ||
        route === 'POST /v1/workspaces' ||
        route === 'POST /v1/invites/:token/accept',
    );
    expect(Object.keys(WORKSPACE_AUDIT_ACTIONS).sort()).toEqual(recordedInWorkspace.sort());
  });

  it('the OpenAPI document shows each level, and the bearer scheme where a session is needed', async () => {
    const doc = await server.request<{
      paths: Record<string, Record<string, { 'x-coffer-auth'?: string; security?: unknown }>>;
    }>('GET', '/v1/openapi.json');
    const documented: Record<string, unknown> = {};
    for (const route of Object.keys(ROUTE_TABLE)) {
      const [method = '', url = ''] = route.split(' ');
      const operation = doc.json.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      documented[route] = {
        level: operation?.['x-coffer-auth'],
        bearer: operation?.security !== undefined,
      };
    }
    expect(documented).toEqual(
      Object.fromEntries(
        Object.entries(ROUTE_TABLE).map(([route, level]) => [
          route,
          { level, bearer: level !== 'none' },
        ]),
      ),
    );
  });

  it('each step-up route refuses a valid session that has not stepped up, and changes nothing', async () => {
    const requests = stepUpRequests();
    // A new step-up route needs its own case here.
    expect(Object.keys(requests).sort()).toEqual(routesAt('step-up').sort());
    const before = snapshot();
    for (const [route, { path, body }] of Object.entries(requests)) {
      const response = await server.request<ErrorJson & Record<string, unknown>>(
        methodOf(route),
        path,
        { token: owner.token, ...(body === undefined ? {} : { body }) },
      );
      expect(response.status, route).toBe(403);
      expect(response.json.error?.code, route).toBe('STEP_UP_REQUIRED');
      // Nothing of the account came back with the refusal (the export, codes, options).
      expect(Object.keys(response.json), route).toEqual(['error']);
    }
    expect(snapshot()).toBe(before);
    // Both sessions are still good, and the owner can still step up and act.
    expect((await server.request('GET', '/v1/me', { token: otherDevice.token })).status).toBe(200);
    const elevated = await server.request('POST', '/v1/auth/step-up', {
      token: owner.token,
      body: {
        password: owner.password,
        method: 'totp',
        code: totpCodeAt({ secret: totpSecret }, server.clock.now()),
      },
    });
    expect(elevated.status).toBe(200);
    const exported = await server.request('GET', '/v1/me/export', { token: owner.token });
    expect(exported.status).toBe(200);
  });

  it('each session and step-up route answers 401 without a token, and changes nothing', async () => {
    const requests = stepUpRequests();
    const before = snapshot();
    for (const route of [...routesAt('session'), ...routesAt('step-up')]) {
      const path = requests[route]?.path ?? route.split(' ')[1] ?? '';
      const response = await server.request<ErrorJson>(
        methodOf(route),
        path,
        methodOf(route) === 'GET' || methodOf(route) === 'DELETE' ? {} : { body: {} },
      );
      expect(response.status, route).toBe(401);
      expect(response.json.error?.code, route).toBe('UNAUTHENTICATED');
    }
    expect(snapshot()).toBe(before);
  });
});
