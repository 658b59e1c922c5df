import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AuditService } from '../audit/audit.service.js';
import { login, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { adminWithWorkspace, elevate, joinAs, snapshot } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string };
}

interface SessionJson {
  id: string;
  userId: string;
  deviceName: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

interface AuditJson {
  entries: {
    id: string;
    action: string;
    userId: string | null;
    outcome: string;
    errorCode: string | null;
    at: string;
  }[];
  nextCursor: string | null;
}

let server: AccountsTestServer;
let admin: User;
let member: User;
let workspaceId: string;
let outsider: { admin: User; workspaceId: string };

beforeAll(async () => {
  server = await startAccountsServer();
  ({ admin, workspaceId } = await adminWithWorkspace(server));
  member = await joinAs(server, admin.token, workspaceId, 'member');
  outsider = await adminWithWorkspace(server, 'other books');
});
afterAll(async () => server.close());

const sessions = async (token: string) =>
  server.request<{ sessions: SessionJson[] } & ErrorJson>(
    'GET',
    `/v1/workspaces/${workspaceId}/sessions`,
    { token },
  );

const revoke = (token: string, sessionId: string) =>
  server.request<ErrorJson>('DELETE', `/v1/workspaces/${workspaceId}/sessions/${sessionId}`, {
    token,
  });

describe("members' sessions", () => {
  it('lists every member’s open sessions with device, ip, created and last seen', async () => {
    const phone = await login(server, member.email, member.password, 'Member phone');
    const res = await sessions(admin.token);
    expect(res.status).toBe(200);
    const mine = res.json.sessions.filter((s) => s.userId === member.user.id);
    expect(mine.map((s) => s.id).sort()).toEqual([member.sessionId, phone.sessionId].sort());
    expect(mine.find((s) => s.id === phone.sessionId)).toMatchObject({
      deviceName: 'Member phone',
      ip: '127.0.0.1',
      current: false,
    });
    expect(res.json.sessions.find((s) => s.id === admin.sessionId)?.current).toBe(true);
    // Nobody outside the workspace shows up.
    expect(res.json.sessions.some((s) => s.userId === outsider.admin.user.id)).toBe(false);
  });

  it('revoking needs a step-up; then the revoked session’s next request is 401 SESSION_REVOKED', async () => {
    const laptop = await login(server, member.email, member.password, 'Lost laptop');
    await server.request('GET', '/v1/me', { token: laptop.token });
    const before = snapshot(server);
    const unelevated = await revoke(admin.token, laptop.sessionId);
    expect([unelevated.status, unelevated.json.error?.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    expect(snapshot(server)).toBe(before);
    expect((await server.request('GET', '/v1/me', { token: laptop.token })).status).toBe(200);

    await elevate(server, admin);
    expect((await revoke(admin.token, laptop.sessionId)).status).toBe(204);
    const next = await server.request<ErrorJson>('GET', `/v1/workspaces/${workspaceId}/members`, {
      token: laptop.token,
    });
    expect([next.status, next.json.error?.code]).toEqual([401, 'SESSION_REVOKED']);
    // The member's other session is untouched.
    expect((await server.request('GET', '/v1/me', { token: member.token })).status).toBe(200);
    expect((await sessions(admin.token)).json.sessions.some((s) => s.id === laptop.sessionId)).toBe(
      false,
    );
  });

  it('a session of someone outside this workspace is 404 SESSION_NOT_FOUND and stays open', async () => {
    await elevate(server, admin);
    const before = snapshot(server);
    const res = await revoke(admin.token, outsider.admin.sessionId);
    expect([res.status, res.json.error?.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    expect(snapshot(server)).toBe(before);
    expect((await server.request('GET', '/v1/me', { token: outsider.admin.token })).status).toBe(
      200,
    );
  });
});

describe('workspace audit log', () => {
  const audit = async (token: string, query = '', id = workspaceId) => {
    // Rows are written after each answer is sent: wait for those of earlier requests.
    await (server.deps.audit as AuditService).settled();
    return server.request<AuditJson & ErrorJson>('GET', `/v1/workspaces/${id}/audit${query}`, {
      token,
    });
  };

  it('holds the requests made in the workspace, and none of another workspace', async () => {
    await server.request('GET', `/v1/workspaces/${workspaceId}/members`, { token: member.token });
    await server.request('GET', `/v1/workspaces/${outsider.workspaceId}/members`, {
      token: outsider.admin.token,
    });
    // A member trying an admin action is recorded too.
    await server.request('GET', `/v1/workspaces/${workspaceId}/sessions`, { token: member.token });
    const res = await audit(admin.token, '?limit=200');
    expect(res.status).toBe(200);
    const actions = res.json.entries.map(
      (e) => `${e.action} ${e.userId === member.user.id ? 'member' : 'other'}`,
    );
    expect(actions).toContain('GET /v1/workspaces/:id/members member');
    expect(actions).toContain('POST /v1/workspaces other');
    const refused = res.json.entries.find(
      (e) => e.action === 'GET /v1/workspaces/:id/sessions' && e.userId === member.user.id,
    );
    expect(refused).toMatchObject({ outcome: 'failure', errorCode: 'FORBIDDEN_ROLE' });
    expect(res.json.entries.some((e) => e.userId === outsider.admin.user.id)).toBe(false);
    const theirs = await audit(outsider.admin.token, '?limit=200', outsider.workspaceId);
    expect(theirs.json.entries.some((e) => e.userId === member.user.id)).toBe(false);
  });

  it('filters by user, action and outcome, and pages newest first without gaps', async () => {
    for (let i = 0; i < 5; i += 1) {
      await server.request('GET', `/v1/workspaces/${workspaceId}/members`, { token: member.token });
    }
    const action = encodeURIComponent('GET /v1/workspaces/:id/members');
    const all = await audit(admin.token, `?userId=${member.user.id}&action=${action}&limit=200`);
    expect(all.json.entries.length).toBeGreaterThanOrEqual(5);
    expect(all.json.entries.every((e) => e.userId === member.user.id)).toBe(true);
    expect(new Set(all.json.entries.map((e) => e.action))).toEqual(
      new Set(['GET /v1/workspaces/:id/members']),
    );

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?userId=${member.user.id}&action=${action}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page = await audit(admin.token, query);
      expect(page.status).toBe(200);
      expect(page.json.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.entries.map((e) => e.id));
      cursor = page.json.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.json.entries.map((e) => e.id));

    const failures = await audit(admin.token, '?outcome=failure&limit=200');
    expect(failures.json.entries.length).toBeGreaterThan(0);
    expect(failures.json.entries.every((e) => e.outcome === 'failure')).toBe(true);

    const future = new Date(server.clock.now() + 60_000).toISOString();
    expect((await audit(admin.token, `?since=${future}`)).json.entries).toEqual([]);
    expect((await audit(admin.token, `?until=${future}&limit=1`)).json.entries).toHaveLength(1);
  });

  it('asked for changes only, leaves out every request that only read', async () => {
    await server.request('GET', `/v1/workspaces/${workspaceId}/members`, { token: member.token });
    const all = await audit(admin.token, '?limit=200');
    expect(all.json.nextCursor).toBeNull(); // the whole log, so the two lists compare
    expect(all.json.entries.some((e) => e.action.startsWith('GET '))).toBe(true);
    const changes = await audit(admin.token, '?changesOnly=true&limit=200');
    expect(changes.status).toBe(200);
    expect(changes.json.entries.length).toBeGreaterThan(0);
    expect(changes.json.entries.map((e) => e.action)).toEqual(
      all.json.entries.map((e) => e.action).filter((action) => !action.startsWith('GET ')),
    );
  });

  it('is for admins only: a member gets 403 FORBIDDEN_ROLE and no entries', async () => {
    const res = await audit(member.token);
    expect([res.status, res.json.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    expect(res.json.entries).toBeUndefined();
  });
});
