import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STEP_UP_MS } from '../accounts/session.service.js';
import { startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import {
  adminWithWorkspace,
  elevate,
  joinAs,
  nameBlob,
  snapshot,
  unusedUuid,
} from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string };
}

let server: AccountsTestServer;
const anyTime: unknown = expect.any(String);

beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

const members = async (token: string, workspaceId: string) =>
  (
    await server.request<{ members: { userId: string; email: string; role: string }[] }>(
      'GET',
      `/v1/workspaces/${workspaceId}/members`,
      { token },
    )
  ).json.members;

const setRole = (token: string, workspaceId: string, userId: string, role: string) =>
  server.request<ErrorJson>('PATCH', `/v1/workspaces/${workspaceId}/members/${userId}`, {
    token,
    body: { role },
  });

const remove = (token: string, workspaceId: string, userId: string) =>
  server.request<ErrorJson>('DELETE', `/v1/workspaces/${workspaceId}/members/${userId}`, {
    token,
  });

describe('workspace members', () => {
  it('lists members with address and role for every member', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const viewer = await joinAs(server, admin.token, workspaceId, 'viewer');
    const listed = await members(viewer.token, workspaceId);
    expect(listed.sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { userId: admin.user.id, email: admin.email, role: 'admin', joinedAt: anyTime },
      { userId: viewer.user.id, email: viewer.email, role: 'viewer', joinedAt: anyTime },
    ]);
  });

  it('never demotes or removes the last admin: 409 LAST_ADMIN, nothing changed', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    await joinAs(server, admin.token, workspaceId, 'member');
    await elevate(server, admin);
    const before = snapshot(server);
    for (const res of [
      await setRole(admin.token, workspaceId, admin.user.id, 'member'),
      await setRole(admin.token, workspaceId, admin.user.id, 'viewer'),
      await remove(admin.token, workspaceId, admin.user.id),
    ]) {
      expect([res.status, res.json.error?.code]).toEqual([409, 'LAST_ADMIN']);
    }
    expect(snapshot(server)).toBe(before);

    // With a second admin, the first may step down, and then the second is the last.
    const second = await joinAs(server, admin.token, workspaceId, 'admin');
    expect((await setRole(admin.token, workspaceId, admin.user.id, 'member')).status).toBe(204);
    await elevate(server, second);
    const last = await remove(second.token, workspaceId, second.user.id);
    expect([last.status, last.json.error?.code]).toEqual([409, 'LAST_ADMIN']);
  });

  it('role changes and removal need a step-up: without one 403 STEP_UP_REQUIRED, nothing changed', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const before = snapshot(server);
    for (const res of [
      await setRole(admin.token, workspaceId, member.user.id, 'viewer'),
      await remove(admin.token, workspaceId, member.user.id),
    ]) {
      expect([res.status, res.json.error?.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    }
    expect(snapshot(server)).toBe(before);

    await elevate(server, admin);
    expect((await setRole(admin.token, workspaceId, member.user.id, 'viewer')).status).toBe(204);
    expect((await members(admin.token, workspaceId)).map((m) => m.role).sort()).toEqual([
      'admin',
      'viewer',
    ]);
    // The step-up runs out after ten minutes (injected clock).
    server.clock.advance(STEP_UP_MS);
    const stale = await remove(admin.token, workspaceId, member.user.id);
    expect([stale.status, stale.json.error?.code]).toEqual([403, 'STEP_UP_REQUIRED']);
    await elevate(server, admin);
    expect((await remove(admin.token, workspaceId, member.user.id)).status).toBe(204);
  });

  it('a removed member gets 404 on the workspace and no longer sees it in their list', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    expect((await members(member.token, workspaceId)).length).toBe(2);
    await elevate(server, admin);
    expect((await remove(admin.token, workspaceId, member.user.id)).status).toBe(204);
    const after = await server.request<ErrorJson>('GET', `/v1/workspaces/${workspaceId}/members`, {
      token: member.token,
    });
    expect([after.status, after.json.error?.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    const list = await server.request<{ workspaces: unknown[] }>('GET', '/v1/workspaces', {
      token: member.token,
    });
    expect(list.json.workspaces).toEqual([]);
  });

  it('someone who is not a member is 404 MEMBER_NOT_FOUND, even a member of another workspace', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const elsewhere = await adminWithWorkspace(server);
    await elevate(server, admin);
    const before = snapshot(server);
    for (const userId of [
      elsewhere.admin.user.id,
      unusedUuid([admin.user.id, elsewhere.admin.user.id]),
    ]) {
      for (const res of [
        await setRole(admin.token, workspaceId, userId, 'viewer'),
        await remove(admin.token, workspaceId, userId),
      ]) {
        expect([res.status, res.json.error?.code]).toEqual([404, 'MEMBER_NOT_FOUND']);
      }
    }
    expect(snapshot(server)).toBe(before);
  });

  it('an account that is the last admin of a workspace others use cannot be deleted; one it alone uses goes with it', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server);
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const solo = await server.request<{ id: string }>('POST', '/v1/workspaces', {
      token: admin.token,
      body: { nameBlob: nameBlob('solo') },
    });
    expect(solo.status, solo.text).toBe(201);
    await elevate(server, admin);
    const before = snapshot(server);
    const refused = await server.request<ErrorJson>('DELETE', '/v1/me', { token: admin.token });
    expect([refused.status, refused.json.error?.code]).toEqual([409, 'LAST_ADMIN']);
    expect(snapshot(server)).toBe(before);

    expect((await setRole(admin.token, workspaceId, member.user.id, 'admin')).status).toBe(204);
    const deleted = await server.request('DELETE', '/v1/me', { token: admin.token });
    expect(deleted.status).toBe(204);
    expect(await server.deps.storage.workspaces.findById(solo.json.id)).toBeNull();
    expect((await members(member.token, workspaceId)).map((m) => [m.userId, m.role])).toEqual([
      [member.user.id, 'admin'],
    ]);
  });
});
