import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { login, register, startAccountsServer } from './accounts-support.js';
import type { AccountsTestServer, Grant } from './accounts-support.js';
import { boxText, publicKeyText, testUserKeyBody } from './key-directory-support.js';
import { pull, push, randomEnvelope } from './sync-support.js';
import { adminWithWorkspace, elevate, joinAs, snapshot } from './workspaces-support.js';

interface ErrorJson {
  error?: { code: string };
}
interface Devices {
  userKeyVersion: number | null;
  rotationDue: boolean;
  devices: { sessionId: string; publicKey: string; certificate: string | null }[];
}
interface Statement {
  version: number;
  publicKey: string;
  signingPublicKey: string | null;
  selfSignature: string | null;
  previousSignature: string | null;
}
interface MemberKeys {
  rotationDue: boolean;
  members: {
    userId: string;
    userKey: { version: number } | null;
    newestSealedToUserKeyVersion: number | null;
    chain: Statement[];
  }[];
}

interface KeyState {
  userKeyVersion: number | null;
  userKeyRotationDue: boolean;
  workspaceKeyRotationDue: boolean;
  sealedToYou: { keyVersion: number; userKeyVersion: number }[];
}

let server: AccountsTestServer;
const text = (bytes: number): string => randomBytes(bytes).toString('base64url');
const req = <T>(method: string, token: string, path: string, body?: unknown) =>
  server.request<T & ErrorJson>(method, path, { token, ...(body === undefined ? {} : { body }) });

/** GET key-state: what a device checks before each push, in one answer. */
async function keyState(token: string, workspaceId: string): Promise<KeyState> {
  const answer = await req<KeyState>('GET', token, `/v1/workspaces/${workspaceId}/key-state`);
  expect(answer.status, answer.text).toBe(200);
  const { userKeyVersion, userKeyRotationDue, workspaceKeyRotationDue, sealedToYou } = answer.json;
  return { userKeyVersion, userKeyRotationDue, workspaceKeyRotationDue, sealedToYou };
}

/** A user's first key with its statement, and a device key for each given session. */
async function withKeys(user: Grant, sessions: Grant[]): Promise<void> {
  const body = { ...testUserKeyBody(), signingPublicKey: text(32), selfSignature: text(64) };
  expect((await req('PUT', user.token, '/v1/me/keys', body)).status).toBe(201);
  for (const session of sessions) {
    const device = {
      publicKey: publicKeyText(),
      userKeyVersion: 1,
      sealedUserKey: boxText(),
      certificate: text(64),
    };
    expect((await req('PUT', session.token, '/v1/me/device-key', device)).status).toBe(201);
  }
}

function rotation(version: number, sessionIds: string[]) {
  return {
    version,
    publicKey: publicKeyText(),
    signingPublicKey: text(32),
    selfSignature: text(64),
    previousSignature: text(64),
    recoveryBlob: boxText(),
    devices: sessionIds.map((sessionId) => ({
      sessionId,
      sealedUserKey: boxText(),
      certificate: text(64),
    })),
  };
}

beforeAll(async () => {
  server = await startAccountsServer();
});
afterAll(async () => server.close());

describe('user key rotation after a revocation', () => {
  it('marks a rotation due once a device holding the key is revoked, and takes the next version sealed to exactly the rest', async () => {
    const laptop = await register(server);
    const desktop = await login(server, laptop.email, laptop.password, 'Desktop');
    const phone = await login(server, laptop.email, laptop.password, 'Phone');
    await withKeys(laptop, [laptop, desktop, phone]);
    const before = await req<Devices>('GET', laptop.token, '/v1/me/device-keys');
    expect([before.json.userKeyVersion, before.json.rotationDue]).toEqual([1, false]);
    expect(before.json.devices.map((d) => d.sessionId).sort()).toEqual(
      [laptop.sessionId, desktop.sessionId, phone.sessionId].sort(),
    );

    await elevate(server, laptop);
    const revoked = await req('DELETE', laptop.token, `/v1/me/sessions/${phone.sessionId}`);
    expect(revoked.status, revoked.text).toBe(204);
    const due = await req<Devices>('GET', desktop.token, '/v1/me/device-keys');
    expect(due.json.rotationDue).toBe(true);
    expect(due.json.devices.map((d) => d.sessionId).sort()).toEqual(
      [laptop.sessionId, desktop.sessionId].sort(),
    );

    // The revoked device cannot rotate; a set that leaves a device out or adds the revoked
    // one is refused; a skipped version is refused. Nothing is stored by any of them.
    const snap = snapshot(server);
    const byRevoked = await req('POST', phone.token, '/v1/me/keys/rotate', rotation(2, []));
    expect([byRevoked.status, byRevoked.json.error?.code]).toEqual([401, 'SESSION_REVOKED']);
    for (const [body, code] of [
      [rotation(2, [laptop.sessionId]), 'DEVICE_SET_CHANGED'],
      [rotation(2, [laptop.sessionId, desktop.sessionId, phone.sessionId]), 'DEVICE_SET_CHANGED'],
      [rotation(3, [laptop.sessionId, desktop.sessionId]), 'USER_KEY_VERSION'],
    ] as const) {
      const refused = await req('POST', laptop.token, '/v1/me/keys/rotate', body);
      expect([refused.status, refused.json.error?.code]).toEqual([409, code]);
    }
    expect(snapshot(server)).toBe(snap);

    const next = rotation(2, [laptop.sessionId, desktop.sessionId]);
    expect((await req('POST', laptop.token, '/v1/me/keys/rotate', next)).status).toBe(201);
    expect((await req('POST', laptop.token, '/v1/me/keys/rotate', next)).status).toBe(200);
    const other = await req('POST', laptop.token, '/v1/me/keys/rotate', {
      ...next,
      publicKey: publicKeyText(),
    });
    expect([other.status, other.json.error?.code]).toEqual([409, 'USER_KEY_EXISTS']);

    const after = await req<Devices>('GET', desktop.token, '/v1/me/device-keys');
    expect([after.json.userKeyVersion, after.json.rotationDue]).toEqual([2, false]);
    const own = await req<{
      userKey: { version: number; publicKey: string; recoveryPublicKey: string };
      device: { userKeyVersion: number; sealedUserKey: string };
    }>('GET', desktop.token, '/v1/me/keys');
    expect(own.json.userKey.version).toBe(2);
    expect(own.json.userKey.publicKey).toBe(next.publicKey);
    expect(own.json.device).toMatchObject({
      userKeyVersion: 2,
      sealedUserKey: next.devices[1]?.sealedUserKey,
      certificate: next.devices[1]?.certificate,
    });
    expect(own.json.userKey).toMatchObject({
      signingPublicKey: next.signingPublicKey,
      selfSignature: next.selfSignature,
      previousSignature: next.previousSignature,
    });
  });
});

describe('workspace key rotation and removal', () => {
  it('lists each member’s signed chain and says when the workspace key is due for rotation', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server, 'rotation');
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const memberPhone = await login(server, member.email, member.password, 'Phone');
    await withKeys(admin, [admin]);
    await withKeys(member, [member, memberPhone]);
    const seal = (keyVersion: number, memberKeyVersion: number) =>
      req('PUT', admin.token, `/v1/workspaces/${workspaceId}/keys`, {
        keyVersion,
        sealed: [
          { userId: admin.user.id, userKeyVersion: 1, sealedKey: boxText() },
          { userId: member.user.id, userKeyVersion: memberKeyVersion, sealedKey: boxText() },
        ],
      });
    expect((await seal(1, 1)).status).toBe(204);
    const keysPath = `/v1/workspaces/${workspaceId}/member-keys`;
    expect((await req<MemberKeys>('GET', admin.token, keysPath)).json.rotationDue).toBe(false);
    // key-state says the same in one answer, for each caller: nothing due.
    expect(await keyState(admin.token, workspaceId)).toEqual({
      userKeyVersion: 1,
      userKeyRotationDue: false,
      workspaceKeyRotationDue: false,
      sealedToYou: [{ keyVersion: 1, userKeyVersion: 1 }],
    });

    // The member's phone is revoked by the member's laptop, which rotates the user key.
    await elevate(server, member);
    await req('DELETE', member.token, `/v1/me/sessions/${memberPhone.sessionId}`);
    expect(await keyState(member.token, workspaceId)).toMatchObject({
      userKeyVersion: 1,
      userKeyRotationDue: true,
    });
    const next = rotation(2, [member.sessionId]);
    expect((await req('POST', member.token, '/v1/me/keys/rotate', next)).status).toBe(201);
    const listed = await req<MemberKeys>('GET', admin.token, keysPath);
    expect(listed.json.rotationDue).toBe(true);
    expect((await keyState(admin.token, workspaceId)).workspaceKeyRotationDue).toBe(true);
    expect(await keyState(member.token, workspaceId)).toEqual({
      userKeyVersion: 2,
      userKeyRotationDue: false,
      workspaceKeyRotationDue: true,
      sealedToYou: [{ keyVersion: 1, userKeyVersion: 1 }],
    });
    const entry = listed.json.members.find((m) => m.userId === member.user.id);
    expect(entry?.newestSealedToUserKeyVersion).toBe(1);
    expect(entry?.chain.map((s) => [s.version, s.publicKey, s.previousSignature])).toEqual([
      [1, expect.any(String), null],
      [2, next.publicKey, next.previousSignature],
    ]);
    expect((await seal(2, 2)).status).toBe(204);
    expect((await req<MemberKeys>('GET', admin.token, keysPath)).json.rotationDue).toBe(false);
    expect(await keyState(member.token, workspaceId)).toEqual({
      userKeyVersion: 2,
      userKeyRotationDue: false,
      workspaceKeyRotationDue: false,
      sealedToYou: [
        { keyVersion: 1, userKeyVersion: 1 },
        { keyVersion: 2, userKeyVersion: 2 },
      ],
    });
  });

  it('answers a removed member 403 MEMBER_REMOVED on every workspace route, an outsider still 404', async () => {
    const { admin, workspaceId } = await adminWithWorkspace(server, 'removal');
    const member = await joinAs(server, admin.token, workspaceId, 'member');
    const keyless = await joinAs(server, admin.token, workspaceId, 'viewer');
    const outsider = await register(server);
    await withKeys(admin, [admin]);
    await withKeys(member, [member]);
    const sealed = (userId: string) => ({ userId, userKeyVersion: 1, sealedKey: boxText() });
    const path = `/v1/workspaces/${workspaceId}/keys`;
    expect(
      (
        await req('PUT', admin.token, path, {
          keyVersion: 1,
          sealed: [sealed(admin.user.id), sealed(member.user.id)],
        })
      ).status,
    ).toBe(204);
    await elevate(server, admin);
    for (const user of [member, keyless]) {
      const removed = await req(
        'DELETE',
        admin.token,
        `/v1/workspaces/${workspaceId}/members/${user.user.id}`,
      );
      expect(removed.status, removed.text).toBe(204);
    }
    const keysPath = `/v1/workspaces/${workspaceId}/member-keys`;
    expect((await req<MemberKeys>('GET', admin.token, keysPath)).json.rotationDue).toBe(true);
    expect((await keyState(admin.token, workspaceId)).workspaceKeyRotationDue).toBe(true);

    const before = snapshot(server);
    for (const response of [
      await req('GET', member.token, path),
      await req('GET', member.token, `/v1/workspaces/${workspaceId}/key-state`),
      await pull(server, member.token, workspaceId),
      await push(server, member.token, workspaceId, [randomEnvelope()]),
    ]) {
      expect([response.status, response.json.error?.code]).toEqual([403, 'MEMBER_REMOVED']);
    }
    // Never held a key of it: answered like any stranger.
    for (const user of [keyless, outsider]) {
      for (const asked of [path, `/v1/workspaces/${workspaceId}/key-state`]) {
        const response = await req('GET', user.token, asked);
        expect([response.status, response.json.error?.code]).toEqual([404, 'WORKSPACE_NOT_FOUND']);
      }
    }
    expect(snapshot(server)).toBe(before);

    expect(
      (await req('PUT', admin.token, path, { keyVersion: 2, sealed: [sealed(admin.user.id)] }))
        .status,
    ).toBe(204);
    expect((await req<MemberKeys>('GET', admin.token, keysPath)).json.rotationDue).toBe(false);
    expect((await keyState(admin.token, workspaceId)).workspaceKeyRotationDue).toBe(false);
  });
});
