import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { WORKSPACE_ROLES, can } from '../../shared/sync/workspace-roles.js';
import type { WorkspaceAction, WorkspaceRole } from '../../shared/sync/workspace-roles.js';
import { isWorkspaceRoute } from '../workspaces/workspace-access.js';
import { register, startAccountsServer, uniqueEmail } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { openSyncSocket } from './support/sync-socket-client.js';
import { testUserKeyBody, testWorkspaceKeyBody } from './key-directory-support.js';
import { manifest, putChunk, startSnapshot, uploadSnapshot } from './snapshot-support.js';
import { randomEnvelope } from './sync-support.js';
import { adminWithWorkspace, elevate, joinAs, snapshot, unusedUuid } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

/**
 * The matrix action each workspace route performs, written out by hand: a route added
 * under /v1/workspaces/:id without an entry here, or whose declared action differs, fails.
 */
const EXPECTED_ACTIONS: Readonly<Record<string, WorkspaceAction>> = {
  'GET /v1/workspaces/:id/members': 'read',
  'PATCH /v1/workspaces/:id/members/:userId': 'manage_members',
  'DELETE /v1/workspaces/:id/members/:userId': 'manage_members',
  'POST /v1/workspaces/:id/invites': 'manage_members',
  'PUT /v1/workspaces/:id/policy': 'security',
  'GET /v1/workspaces/:id/sessions': 'security',
  'DELETE /v1/workspaces/:id/sessions/:sessionId': 'security',
  'GET /v1/workspaces/:id/audit': 'security',
  'POST /v1/workspaces/:id/sync/push': 'push_data',
  'GET /v1/workspaces/:id/sync/pull': 'read',
  'GET /v1/workspaces/:id/sync/ws': 'read',
  'GET /v1/workspaces/:id/keys': 'read',
  'PUT /v1/workspaces/:id/keys': 'manage_members',
  'GET /v1/workspaces/:id/member-keys': 'read',
  'GET /v1/workspaces/:id/key-state': 'read',
  'POST /v1/workspaces/:id/invoice-numbers': 'push_data',
  'POST /v1/workspaces/:id/snapshots': 'snapshot',
  'PUT /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index': 'snapshot',
  'POST /v1/workspaces/:id/snapshots/:snapshotId/complete': 'snapshot',
  'GET /v1/workspaces/:id/snapshots/latest': 'read',
  'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index': 'read',
};

/** A new invoice id for each request, counted: none can repeat an earlier one. */
let invoices = 0;
const nextInvoiceId = (): string =>
  `01900000-0000-7000-8000-${(invoices += 1).toString(16).padStart(12, '0')}`;

/** Asked with a real WebSocket upgrade: allowed is 101 Switching Protocols. */
const SOCKET_ROUTE = 'GET /v1/workspaces/:id/sync/ws';

/** The route's answer to `user`: an upgrade (closed again at once) or a JSON refusal. */
async function socketAnswer(
  user: User,
  id: string,
): Promise<{ status: number; json: ErrorJson & Record<string, unknown> }> {
  const attempt = await openSyncSocket(server, id, user.token);
  if (!('socket' in attempt)) return attempt;
  attempt.socket.client.close();
  await attempt.socket.closed;
  return { status: attempt.status, json: {} };
}

type Caller = WorkspaceRole | 'non-member' | 'other workspace id' | 'unknown id';
const CALLERS: readonly Caller[] = [
  ...WORKSPACE_ROLES,
  'non-member',
  'other workspace id',
  'unknown id',
];

interface ErrorJson {
  error?: { code: string };
}

let server: AccountsTestServer;
let workspaceId: string;
let otherWorkspaceId: string;
let callers: Record<WorkspaceRole | 'non-member', User>;

beforeAll(async () => {
  server = await startAccountsServer();
  const home = await adminWithWorkspace(server, 'home');
  workspaceId = home.workspaceId;
  // The non-member is an admin elsewhere: their own role must not carry over.
  const other = await adminWithWorkspace(server, 'elsewhere');
  otherWorkspaceId = other.workspaceId;
  callers = {
    admin: home.admin,
    member: await joinAs(server, home.admin.token, workspaceId, 'member'),
    viewer: await joinAs(server, home.admin.token, workspaceId, 'viewer'),
    'non-member': other.admin,
  };
  // Everyone is stepped up: the only thing between them and the route is their role.
  for (const user of Object.values(callers)) await elevate(server, user);
  // The admin has a user key, so a workspace key can be sealed to them.
  const uploaded = await server.request('PUT', '/v1/me/keys', {
    token: callers.admin.token,
    body: testUserKeyBody(),
  });
  expect(uploaded.status, uploaded.text).toBe(201);
});
afterAll(async () => server.close());

function workspaceRoutes(): string[] {
  return server.routes.flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method])
      .map((method) => `${method} ${route.url}`)
      .filter(() => isWorkspaceRoute(route.url)),
  );
}

/**
 * A request to `route` in workspace `id` that is right in every way: real member and
 * session ids (of a fresh member made for it), a valid body. Only the role decides.
 */
/**
 * A snapshot upload the admin started in the home workspace (seq 0, always within the log),
 * with every chunk there when `filled`. Its id is asked for under `id`.
 */
async function startedSnapshot(filled: boolean): Promise<string> {
  const m = manifest({ chunkCount: 1, byteLength: 4 });
  expect((await startSnapshot(server, callers.admin.token, workspaceId, m)).status).toBe(201);
  if (filled) {
    const put = await putChunk(server, callers.admin.token, workspaceId, m.snapshotId, 0, chunk());
    expect(put.status, put.text).toBe(204);
  }
  return m.snapshotId;
}

/** The home workspace's newest complete snapshot, uploaded by its admin if it has none. */
async function completeSnapshotId(): Promise<string> {
  const latest = await server.request<{ snapshotId?: string }>(
    'GET',
    `/v1/workspaces/${workspaceId}/snapshots/latest`,
    { token: callers.admin.token },
  );
  if (latest.json.snapshotId !== undefined) return latest.json.snapshotId;
  return (await uploadSnapshot(server, callers.admin.token, workspaceId)).manifest.snapshotId;
}

const chunk = (): Buffer => Buffer.from([1, 2, 3, 4]);
const OCTETS = { 'content-type': 'application/octet-stream' };

async function requestFor(
  route: string,
  id: string,
): Promise<
  { path: string; body?: unknown; rawBody?: Buffer; headers?: Record<string, string> } | undefined
> {
  const target = async (): Promise<User> =>
    joinAs(server, callers.admin.token, workspaceId, 'viewer');
  switch (route) {
    case 'GET /v1/workspaces/:id/members':
      return { path: `/v1/workspaces/${id}/members` };
    case 'PATCH /v1/workspaces/:id/members/:userId':
      return {
        path: `/v1/workspaces/${id}/members/${(await target()).user.id}`,
        body: { role: 'member' },
      };
    case 'DELETE /v1/workspaces/:id/members/:userId':
      return { path: `/v1/workspaces/${id}/members/${(await target()).user.id}` };
    case 'POST /v1/workspaces/:id/invites':
      return {
        path: `/v1/workspaces/${id}/invites`,
        body: { email: uniqueEmail('invitee'), role: 'viewer' },
      };
    case 'PUT /v1/workspaces/:id/policy':
      return {
        path: `/v1/workspaces/${id}/policy`,
        body: { requireMfa: false, forbidEmailOtp: false },
      };
    case 'GET /v1/workspaces/:id/sessions':
      return { path: `/v1/workspaces/${id}/sessions` };
    case 'DELETE /v1/workspaces/:id/sessions/:sessionId':
      return { path: `/v1/workspaces/${id}/sessions/${(await target()).sessionId}` };
    case 'GET /v1/workspaces/:id/audit':
      return { path: `/v1/workspaces/${id}/audit` };
    case 'POST /v1/workspaces/:id/sync/push':
      // A fresh change each time, of a collection every pushing role may push.
      return {
        path: `/v1/workspaces/${id}/sync/push`,
        body: { changes: [randomEnvelope('transactions')] },
      };
    case 'GET /v1/workspaces/:id/sync/pull':
      return { path: `/v1/workspaces/${id}/sync/pull?after=0` };
    case SOCKET_ROUTE:
      return { path: `/v1/workspaces/${id}/sync/ws` };
    case 'GET /v1/workspaces/:id/keys':
      return { path: `/v1/workspaces/${id}/keys` };
    case 'PUT /v1/workspaces/:id/keys':
      return {
        path: `/v1/workspaces/${id}/keys`,
        body: testWorkspaceKeyBody(callers.admin.user.id),
      };
    case 'GET /v1/workspaces/:id/member-keys':
      return { path: `/v1/workspaces/${id}/member-keys` };
    case 'GET /v1/workspaces/:id/key-state':
      return { path: `/v1/workspaces/${id}/key-state` };
    case 'POST /v1/workspaces/:id/invoice-numbers':
      return { path: `/v1/workspaces/${id}/invoice-numbers`, body: { invoiceId: nextInvoiceId() } };
    case 'POST /v1/workspaces/:id/snapshots':
      return { path: `/v1/workspaces/${id}/snapshots`, body: manifest() };
    case 'PUT /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index':
      return {
        path: `/v1/workspaces/${id}/snapshots/${await startedSnapshot(false)}/chunks/0`,
        rawBody: chunk(),
        headers: OCTETS,
      };
    case 'POST /v1/workspaces/:id/snapshots/:snapshotId/complete':
      return { path: `/v1/workspaces/${id}/snapshots/${await startedSnapshot(true)}/complete` };
    case 'GET /v1/workspaces/:id/snapshots/latest':
      await completeSnapshotId();
      return { path: `/v1/workspaces/${id}/snapshots/latest` };
    case 'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index':
      return { path: `/v1/workspaces/${id}/snapshots/${await completeSnapshotId()}/chunks/0` };
    default:
      return undefined;
  }
}

describe('workspace role matrix', () => {
  it('every workspace route declares the action this table expects', () => {
    const declared: Record<string, unknown> = {};
    for (const route of server.routes) {
      if (!isWorkspaceRoute(route.url)) continue;
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        declared[`${method} ${route.url}`] = route.config?.workspaceAction;
      }
    }
    expect(declared).toEqual(EXPECTED_ACTIONS);
  });

  it('every workspace route × every role, non-member and foreign id: allowed, 403 or 404', async () => {
    const routes = workspaceRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(Object.keys(EXPECTED_ACTIONS).length);
    const outcomes: string[] = [];
    for (const route of routes) {
      const action = EXPECTED_ACTIONS[route];
      expect(action, `${route} has no expected action`).toBeDefined();
      for (const caller of CALLERS) {
        const id =
          caller === 'other workspace id'
            ? otherWorkspaceId
            : caller === 'unknown id'
              ? unusedUuid([workspaceId, otherWorkspaceId])
              : workspaceId;
        const request = await requestFor(route, id);
        expect(request, `${route} needs a case in requestFor`).toBeDefined();
        if (request === undefined || action === undefined) continue;
        // The workspace's admin asks for another workspace and for an unknown one.
        const user = callers[caller in callers ? (caller as keyof typeof callers) : 'admin'];
        const before = snapshot(server);
        const res =
          route === SOCKET_ROUTE
            ? await socketAnswer(user, id)
            : await server.request<ErrorJson & Record<string, unknown>>(
                route.split(' ')[0] ?? '',
                request.path,
                {
                  token: user.token,
                  ...(request.body === undefined ? {} : { body: request.body }),
                  ...(request.rawBody === undefined
                    ? {}
                    : { rawBody: request.rawBody, headers: request.headers ?? {} }),
                },
              );
        const label = `${route} as ${caller}`;
        const role = WORKSPACE_ROLES.find((r) => r === caller);
        if (role !== undefined && can(role, action)) {
          expect(res.status, `${label}: ${JSON.stringify(res.json)}`).toBeGreaterThanOrEqual(
            route === SOCKET_ROUTE ? 101 : 200,
          );
          expect(res.status, label).toBeLessThan(300);
          outcomes.push(`${label}: allowed`);
          continue;
        }
        if (role !== undefined) {
          expect([res.status, res.json.error?.code], label).toEqual([403, 'FORBIDDEN_ROLE']);
        } else {
          expect([res.status, res.json.error?.code], label).toEqual([404, 'WORKSPACE_NOT_FOUND']);
        }
        // A refusal carries nothing of the workspace and changes nothing.
        expect(Object.keys(res.json), label).toEqual(['error']);
        expect(snapshot(server), label).toBe(before);
        outcomes.push(`${label}: ${res.status}`);
      }
    }
    // Viewers read; members also read; only admins manage members and security.
    expect(outcomes).toContain('GET /v1/workspaces/:id/members as viewer: allowed');
    expect(outcomes).toContain('PUT /v1/workspaces/:id/policy as member: 403');
    expect(outcomes).toContain('GET /v1/workspaces/:id/audit as other workspace id: 404');
    expect(outcomes).toContain('POST /v1/workspaces/:id/sync/push as viewer: 403');
    expect(outcomes).toContain('POST /v1/workspaces/:id/sync/push as member: allowed');
    expect(outcomes).toContain('GET /v1/workspaces/:id/sync/pull as viewer: allowed');
    expect(outcomes).toContain('GET /v1/workspaces/:id/sync/ws as viewer: allowed');
    expect(outcomes).toContain('GET /v1/workspaces/:id/sync/ws as non-member: 404');
    expect(outcomes).toContain('GET /v1/workspaces/:id/sync/ws as other workspace id: 404');
    expect(outcomes).toContain('PUT /v1/workspaces/:id/keys as viewer: 403');
    expect(outcomes).toContain('PUT /v1/workspaces/:id/keys as admin: allowed');
    expect(outcomes).toContain('GET /v1/workspaces/:id/member-keys as viewer: allowed');
    expect(outcomes).toContain('GET /v1/workspaces/:id/keys as other workspace id: 404');
    expect(outcomes).toContain('POST /v1/workspaces/:id/snapshots as admin: allowed');
    expect(outcomes).toContain('POST /v1/workspaces/:id/snapshots as member: 403');
    expect(outcomes).toContain('POST /v1/workspaces/:id/snapshots as viewer: 403');
    expect(outcomes).toContain(
      'PUT /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index as member: 403',
    );
    expect(outcomes).toContain(
      'POST /v1/workspaces/:id/snapshots/:snapshotId/complete as viewer: 403',
    );
    expect(outcomes).toContain('GET /v1/workspaces/:id/snapshots/latest as viewer: allowed');
    expect(outcomes).toContain(
      'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index as viewer: allowed',
    );
    expect(outcomes).toContain(
      'GET /v1/workspaces/:id/snapshots/:snapshotId/chunks/:index as other workspace id: 404',
    );
  });

  it('a 404 for a foreign workspace is the same as for one that does not exist', async () => {
    const foreign = await server.request('GET', `/v1/workspaces/${otherWorkspaceId}/members`, {
      token: callers.admin.token,
    });
    const unknown = await server.request(
      'GET',
      `/v1/workspaces/${unusedUuid([workspaceId, otherWorkspaceId])}/members`,
      { token: callers.admin.token },
    );
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
  });

  it('lists only the caller’s own workspaces, each with their role', async () => {
    const list = async (user: User) =>
      (
        await server.request<{ workspaces: { id: string; role: string; nameBlob: string }[] }>(
          'GET',
          '/v1/workspaces',
          { token: user.token },
        )
      ).json.workspaces.map((w) => [w.id, w.role]);
    expect(await list(callers.admin)).toEqual([[workspaceId, 'admin']]);
    expect(await list(callers.viewer)).toEqual([[workspaceId, 'viewer']]);
    expect(await list(callers['non-member'])).toEqual([[otherWorkspaceId, 'admin']]);
    const stranger = await register(server);
    expect(await list(stranger)).toEqual([]);
  });
});
