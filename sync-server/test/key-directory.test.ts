import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { login, register, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer } from './accounts-support.js';
import { boxText, publicKeyText, testUserKeyBody } from './key-directory-support.js';
import { adminWithWorkspace, joinAs, snapshot } from './workspaces-support.js';
import type { User } from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string };
}
interface OwnKeys {
  userKey: { version: number; publicKey: string; recoveryBlob: string } | null;
  device: { publicKey: string; sealedUserKey: string } | null;
}
interface MemberKeys {
  members: { userId: string; userKey: { publicKey: string } | null; keyVersions: number[] }[];
}

let server: AccountsTestServer;
let admin: User;
let member: User;
let viewer: User;
let workspaceId: string;
let otherWorkspaceId: string;
let outsider: User;

const put = (token: string, path: string, body: unknown) =>
  server.request<ErrorJson>('PUT', path, { token, body });
const get = <T>(token: string, path: string) =>
  server.request<T & ErrorJson>('GET', path, { token });

beforeAll(async () => {
  server = await startAccountsServer();
  const home = await adminWithWorkspace(server, 'home');
  admin = home.admin;
  workspaceId = home.workspaceId;
  member = await joinAs(server, admin.token, workspaceId, 'member');
  viewer = await joinAs(server, admin.token, workspaceId, 'viewer');
  const other = await adminWithWorkspace(server, 'other');
  outsider = other.admin;
  otherWorkspaceId = other.workspaceId;
  for (const user of [admin, member, viewer, outsider]) {
    expect((await put(user.token, '/v1/me/keys', testUserKeyBody())).status).toBe(201);
  }
});
afterAll(async () => server.close());

describe('the key directory', () => {
  it('stores a user key once; a retry is 200, another key 409, and each user reads only theirs', async () => {
    const user = await register(server);
    const body = testUserKeyBody();
    expect((await put(user.token, '/v1/me/keys', body)).status).toBe(201);
    expect((await put(user.token, '/v1/me/keys', body)).status).toBe(200);
    const other = await put(user.token, '/v1/me/keys', testUserKeyBody());
    expect([other.status, other.json.error?.code]).toEqual([409, 'USER_KEY_EXISTS']);
    const next = await put(user.token, '/v1/me/keys', testUserKeyBody(2));
    expect([next.status, next.json.error?.code]).toEqual([409, 'USER_KEY_EXISTS']);

    const own = await get<OwnKeys>(user.token, '/v1/me/keys');
    expect(own.json.userKey).toEqual(body);
    const stranger = await register(server);
    expect((await get<OwnKeys>(stranger.token, '/v1/me/keys')).json).toEqual({
      userKey: null,
      device: null,
    });
    const first = await put(stranger.token, '/v1/me/keys', testUserKeyBody(2));
    expect([first.status, first.json.error?.code]).toEqual([409, 'USER_KEY_VERSION']);
  });

  it('keeps a device key per session: another session of the same user does not get it', async () => {
    const user = await register(server);
    const device = { publicKey: publicKeyText(), userKeyVersion: 1, sealedUserKey: boxText() };
    const early = await put(user.token, '/v1/me/device-key', device);
    expect([early.status, early.json.error?.code]).toEqual([409, 'USER_KEY_MISSING']);
    expect((await put(user.token, '/v1/me/keys', testUserKeyBody())).status).toBe(201);
    const stale = await put(user.token, '/v1/me/device-key', { ...device, userKeyVersion: 2 });
    expect([stale.status, stale.json.error?.code]).toEqual([409, 'USER_KEY_STALE']);
    expect((await put(user.token, '/v1/me/device-key', device)).status).toBe(201);
    const swapped = await put(user.token, '/v1/me/device-key', {
      ...device,
      sealedUserKey: boxText(90),
    });
    expect([swapped.status, swapped.json.error?.code]).toEqual([409, 'DEVICE_KEY_EXISTS']);

    expect((await get<OwnKeys>(user.token, '/v1/me/keys')).json.device).toEqual(device);
    const second = await login(server, user.email, user.password, 'Phone');
    expect((await get<OwnKeys>(second.token, '/v1/me/keys')).json.device).toBeNull();
  });

  it('seals a workspace key to members; each reads only the box sealed to them', async () => {
    const keys = await get<MemberKeys>(admin.token, `/v1/workspaces/${workspaceId}/member-keys`);
    // Same joining time on the manual clock: compared as a set.
    expect(keys.json.members.map((m) => m.userId).sort()).toEqual(
      [admin, member, viewer].map((u) => u.user.id).sort(),
    );
    const boxes = new Map([admin, member, viewer].map((u) => [u.user.id, boxText()]));
    const sealed = [...boxes].map(([userId, sealedKey]) => ({
      userId,
      userKeyVersion: 1,
      sealedKey,
    }));
    const stored = await put(admin.token, `/v1/workspaces/${workspaceId}/keys`, {
      keyVersion: 1,
      sealed,
    });
    expect(stored.status, stored.text).toBe(204);
    for (const user of [admin, member, viewer]) {
      const own = await get<{ keys: { keyVersion: number; sealedKey: string }[] }>(
        user.token,
        `/v1/workspaces/${workspaceId}/keys`,
      );
      expect(own.json.keys).toEqual([
        { keyVersion: 1, userKeyVersion: 1, sealedKey: boxes.get(user.user.id) },
      ]);
    }
    const after = await get<MemberKeys>(viewer.token, `/v1/workspaces/${workspaceId}/member-keys`);
    expect(after.json.members.map((m) => m.keyVersions)).toEqual([[1], [1], [1]]);
    // The same bytes again are a retry; other bytes under that version are refused.
    expect(
      (await put(admin.token, `/v1/workspaces/${workspaceId}/keys`, { keyVersion: 1, sealed }))
        .status,
    ).toBe(204);
    const before = snapshot(server);
    const swapped = await put(admin.token, `/v1/workspaces/${workspaceId}/keys`, {
      keyVersion: 1,
      sealed: [{ userId: member.user.id, userKeyVersion: 1, sealedKey: boxText(82) }],
    });
    expect([swapped.status, swapped.json.error?.code]).toEqual([409, 'WORKSPACE_KEY_EXISTS']);
    expect(snapshot(server)).toBe(before);
  });

  it('refuses a viewer or member sealing a key, strangers, gaps and another workspace, changing nothing', async () => {
    const path = `/v1/workspaces/${workspaceId}/keys`;
    const body = {
      keyVersion: 2,
      sealed: [{ userId: viewer.user.id, userKeyVersion: 1, sealedKey: boxText() }],
    };
    const before = snapshot(server);
    const byViewer = await put(viewer.token, path, body);
    expect([byViewer.status, byViewer.json.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    const byMember = await put(member.token, path, body);
    expect([byMember.status, byMember.json.error?.code]).toEqual([403, 'FORBIDDEN_ROLE']);
    const toOutsider = await put(admin.token, path, {
      keyVersion: 2,
      sealed: [
        { userId: viewer.user.id, userKeyVersion: 1, sealedKey: boxText() },
        { userId: outsider.user.id, userKeyVersion: 1, sealedKey: boxText() },
      ],
    });
    expect([toOutsider.status, toOutsider.json.error?.code]).toEqual([404, 'MEMBER_NOT_FOUND']);
    const gap = await put(admin.token, path, { ...body, keyVersion: 3 });
    expect([gap.status, gap.json.error?.code]).toEqual([409, 'KEY_VERSION_GAP']);
    const stale = await put(admin.token, path, {
      keyVersion: 2,
      sealed: [{ userId: viewer.user.id, userKeyVersion: 2, sealedKey: boxText() }],
    });
    expect([stale.status, stale.json.error?.code]).toEqual([409, 'USER_KEY_STALE']);
    const twice = await put(admin.token, path, {
      keyVersion: 2,
      sealed: [body.sealed[0], body.sealed[0]],
    });
    expect([twice.status, twice.json.error?.code]).toEqual([400, 'DUPLICATE_MEMBER']);
    // The outsider is an admin elsewhere: here the ids answer 404, never data.
    for (const route of ['keys', 'member-keys']) {
      const foreign = await get(outsider.token, `/v1/workspaces/${workspaceId}/${route}`);
      expect([foreign.status, foreign.json.error?.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    }
    const intoOther = await put(admin.token, `/v1/workspaces/${otherWorkspaceId}/keys`, body);
    expect([intoOther.status, intoOther.json.error?.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
    expect(snapshot(server)).toBe(before);
  });

  it('refuses bad base64, wrong key sizes and oversized boxes with a 400, changing nothing', async () => {
    const user = await register(server);
    const good = testUserKeyBody();
    // base64url of 32 bytes ends in a character whose last two bits are zero: 'B' is not.
    const stray = `${good.publicKey.slice(0, 42)}${good.publicKey.endsWith('B') ? 'C' : 'B'}`;
    const before = snapshot(server);
    const cases: [unknown, string][] = [
      [{ ...good, publicKey: stray }, 'INVALID_BASE64'],
      [{ ...good, recoveryBlob: `${boxText()}=` }, 'INVALID_REQUEST'],
      [{ ...good, recoveryBlob: 'a+b/' }, 'INVALID_REQUEST'],
      [{ ...good, publicKey: boxText(33) }, 'INVALID_REQUEST'],
      [{ ...good, recoveryBlob: boxText(1025) }, 'INVALID_REQUEST'],
      [{ ...good, version: 0 }, 'INVALID_REQUEST'],
      [{ ...good, extra: 1 }, 'INVALID_REQUEST'],
    ];
    for (const [body, code] of cases) {
      const res = await put(user.token, '/v1/me/keys', body);
      expect([res.status, res.json.error?.code], JSON.stringify(body).slice(0, 80)).toEqual([
        400,
        code,
      ]);
    }
    expect(snapshot(server)).toBe(before);
  });
});
